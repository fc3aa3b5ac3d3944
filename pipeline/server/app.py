"""The upload server: an API and a page over one DuckDB archive.

`create_app(db_path, token)` builds the FastAPI app; `pipeline.server.command.serve_command`
runs it with uvicorn (`vanban serve`).

- Uploads are received by `upload.receive_files` (streamed, limited, stored as
  `UPLOAD_DIR/<sha256>`) and imported one at a time by `pipeline.intake.Intake`, i.e. by
  `pipeline.importer.import_bytes`, the same code as `vanban import`, read in the import's
  warm worker (`pipeline.workpool`: replaced on memory or a crash, not after a count).
  They are recorded under `upload://NAME`, the client's file name as text (a path of kind
  `uploaded-as`), and under the absolute path of the kept copy (`stored-at`). A file that
  is not a document (JSON, a spreadsheet, an archive…) is refused with 415 `NotADocument`
  naming its kind, and recorded in `skipped_files`.
- A document is found by any path it was seen under (`/api/lookup?path=`, the search box),
  and the page offers its file for download (`/documents/{doc_id}/file`), behind the token.
- Reads open the database read-only for the request and close it, so the archive stays
  open to an analyst's `vanban query` and to the importer.
"""
from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from typing import Literal, Optional
from urllib.parse import parse_qs

from fastapi import FastAPI, Path as PathParam, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.concurrency import run_in_threadpool
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

import pipeline
from pipeline.errors import StoreError
from pipeline.importer import FAILED, IMPORTED, SKIPPED, FileOutcome
from pipeline.server import auth, views
from pipeline.server.archive import Archive
from pipeline.server.files import add_file_routes
from pipeline.server.models import (ERRORS, DocumentListItem, DocumentOut, ErrorResponse, Health,
                                    SearchHitOut, UploadResult)
from pipeline.server.upload import UploadRefused, receive_files
from pipeline.store.duckdb import open_store

HERE = Path(__file__).parent
DEFAULT_MAX_UPLOAD = 50 * 1024 * 1024
DOC_ID = r"^[0-9a-f]{16}$"

# error kind → HTTP status for a file the pipeline could not read
STATUS_OF_ERROR = {"UnsupportedFormat": 415, "NotADocument": 415}
ERROR_VI = {
    "NotADocument": "Tệp không phải là văn bản",
    "UnsupportedFormat": "Định dạng tệp không được hỗ trợ",
    "CorruptFile": "Tệp bị hỏng hoặc không đúng định dạng",
    "EncryptedFile": "Tệp được bảo vệ bằng mật khẩu",
    "EmptyDocument": "Tệp không có nội dung",
    "TooLarge": "Tệp quá lớn",
    "UnsafeContent": "Tệp chứa nội dung không an toàn",
    "ConversionError": "Không chuyển đổi được tệp",
    "WorkerCrashed": "Bộ đọc tệp bị lỗi khi xử lý tệp này",
}


def _error(status: int, error: str, message: str, **extra) -> JSONResponse:
    headers = {"Connection": "close"} if status == 413 else {}
    if status == 503:
        headers["Retry-After"] = "5"
    return JSONResponse({"detail": {"error": error, "message": message, **extra}}, status_code=status,
                        headers=headers)


def _plain_digits(request: Request, name: str) -> bool:
    """pydantic reads ` 7\u00a0` as 7; the schema says integer, so take digits only."""
    raw = request.query_params.get(name)
    return raw is None or (raw.isascii() and raw.isdigit())


def _status_of(outcome: FileOutcome) -> int:
    if outcome.status == SKIPPED:
        return STATUS_OF_ERROR["NotADocument"]
    return STATUS_OF_ERROR.get(outcome.error or "", 422)


def _refusal(outcome: FileOutcome, name: str, sha256: str) -> JSONResponse:
    """A file the pipeline did not store: what it is or why it failed."""
    if outcome.status == SKIPPED:
        return _error(_status_of(outcome), "NotADocument", f"{name} is not a document: {outcome.message}",
                      stage=outcome.stage, sha256=sha256, kind=outcome.error)
    return _error(_status_of(outcome), outcome.error or "Failed", outcome.message or "",
                  stage=outcome.stage, sha256=sha256)


SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self'; "
                                 b"img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"),
]


class SecurityHeaders:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + SECURITY_HEADERS
            await send(message)

        return await self.app(scope, receive, send_with_headers)


def create_app(db_path: str | Path, token: str, max_upload_bytes: int = DEFAULT_MAX_UPLOAD,
               upload_dir: str | Path | None = None) -> FastAPI:
    """The FastAPI app over the database at `db_path`; every request but `/api/health`, the
    login form and the static files needs `token`. Uploads of more than `max_upload_bytes`
    a file are refused with 413; accepted ones are kept as `upload_dir/<sha256>` (default:
    `uploads/` beside the database)."""
    if not token:
        raise ValueError("create_app needs a token")
    db_path = Path(db_path)
    upload_dir = Path(upload_dir) if upload_dir else db_path.parent / "uploads"
    with open_store(db_path):                  # create and migrate it now; fail fast when broken
        pass
    archive = Archive(db_path, upload_dir)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.filters["vn_date"] = views.vn_date
    templates.env.globals.update(KINDS=views.KINDS, STATUS_VI=views.STATUS_VI, ERROR_VI=ERROR_VI,
                                 PATH_KIND_VI=views.PATH_KIND_VI, ROLE_VI=views.ROLE_VI,
                                 number_symbol=views.number_symbol, signer_line=views.signer_line,
                                 max_upload_mb=max_upload_bytes / (1024 * 1024))

    @asynccontextmanager
    async def lifespan(app):
        archive.intake.warm()           # the first upload finds the pipeline built
        yield
        await run_in_threadpool(archive.intake.close)

    app = FastAPI(title="vanban", version=pipeline.__version__, lifespan=lifespan,
                  description="Upload Vietnamese official notices (văn bản hành chính) and read them "
                              "as the pipeline did. Every route but /api/health needs "
                              "`Authorization: Bearer TOKEN`.",
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.archive = archive
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def openapi():
        if app.openapi_schema:
            return app.openapi_schema
        from fastapi.openapi.utils import get_openapi
        schema = get_openapi(title=app.title, version=app.version, description=app.description,
                             routes=[r for r in app.routes if getattr(r, "path", "").startswith("/api/")])
        schema.setdefault("components", {}).setdefault("securitySchemes", {})["bearer"] = {
            "type": "http", "scheme": "bearer"}
        schema["security"] = [{"bearer": []}]
        schema["paths"]["/api/health"]["get"]["security"] = []
        app.openapi_schema = schema
        return schema

    app.openapi = openapi

    # -- API ------------------------------------------------------------------------------
    @app.get("/api/health", response_model=Health, tags=["api"])
    def health():
        """Whether the server is up (no token needed)."""
        return Health(status="ok", version=pipeline.__version__)

    upload_body = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary",
                                "description": "The notice: .docx, .doc, .pdf, a scan, an image or .txt"}}}}}}}

    @app.post("/api/documents", status_code=201, response_model=UploadResult, tags=["api"],
              openapi_extra=upload_body,
              responses={200: {"model": UploadResult, "description": "Those bytes are already stored"},
                         201: {"description": "Imported", "headers": {"Location": {"schema": {"type": "string"}}}},
                         400: {"model": ErrorResponse, "description": "A malformed multipart body"},
                         413: {"model": ErrorResponse, "description": "Over the size limit"},
                         415: {"model": ErrorResponse, "description": "Not multipart, a kind of file the pipeline does not read, or a file that is not a document (NotADocument, with its kind)"},
                         422: {"model": ErrorResponse, "description": "No file sent, or a file the pipeline could not read"},
                         503: {"model": ErrorResponse, "description": "The database is busy; try again"},
                         **ERRORS})
    async def upload_document(request: Request):
        """Upload one notice (multipart field `file`): 201 when imported, 200 with the existing
        id when those bytes are already stored."""
        try:
            files, _ = await receive_files(request, archive.upload_dir, "file", max_upload_bytes, max_files=1)
        except UploadRefused as e:
            return _error(e.status, e.error, e.message)
        if not files:
            return _error(422, "NoFile", "send the notice as a file in the multipart field 'file'")
        f = files[0]
        try:
            outcome = await run_in_threadpool(archive.import_received, f)
        except StoreError as e:
            return _error(503, e.kind, e.reason, sha256=f.sha256)
        if outcome.status in (FAILED, SKIPPED):
            return _refusal(outcome, f.name, f.sha256)
        result = UploadResult(doc_id=outcome.doc_id, sha256=f.sha256, status=outcome.status, file_name=f.name,
                              source_path=outcome.path, url=f"/api/documents/{outcome.doc_id}",
                              summary=await run_in_threadpool(archive.summary, outcome.doc_id))
        status = 201 if outcome.status == IMPORTED else 200
        return JSONResponse(jsonable_encoder(result), status_code=status,
                            headers={"Location": result.url} if status == 201 else {})

    @app.get("/api/documents", response_model=list[DocumentListItem], tags=["api"], responses=ERRORS)
    def list_documents(request: Request, limit: int = Query(50, ge=1, le=1000),
                       kind: Literal["notices", "other"] = Query(
                           "notices", description="notices: one row per notice, its files listed under "
                                                  "it; other: files read but flagged as no official notice")):
        """The notices stored last, newest first: one row per notice (its chosen file's
        header), however many files hold it, each file listed in `files`."""
        if not _plain_digits(request, "limit"):
            return _error(422, "BadLimit", "limit must be a whole number")
        return archive.recent(limit) if kind == "notices" else archive.other_files(limit)

    @app.get("/api/documents/{doc_id}", response_model=DocumentOut, tags=["api"],
             responses={404: {"model": ErrorResponse, "description": "No such document"}, **ERRORS})
    def get_document(doc_id: str = PathParam(..., pattern=DOC_ID, description="16 hex digits")):
        """The whole notice as stored: header, sections, tasks, citations (with the stored
        documents they resolve to), dates, periods, persons, recipients, organisations, warnings."""
        doc = archive.document(doc_id)
        if doc is None:
            return _error(404, "NotFound", f"no document {doc_id}")
        for c in doc["citations"]:
            c.pop("resolved_subjects", None)
        return doc

    add_file_routes(app, archive, ERRORS)

    @app.get("/api/search", response_model=list[SearchHitOut], tags=["api"],
             responses={422: {"description": "Nothing to search for"}, **ERRORS})
    def api_search(request: Request,
                   q: str = Query(..., min_length=1, max_length=500, description="Words; accents and case do not matter"),
                   limit: int = Query(10, ge=1, le=100)):
        """Notices ranked by how well they (or one of their tasks) match `q`: one hit per
        notice, its best-matching file, with how many files hold it."""
        if not _plain_digits(request, "limit"):
            return _error(422, "BadLimit", "limit must be a whole number")
        try:
            hits = archive.search(q, limit)
        except StoreError as e:
            if e.transient:
                return _error(503, e.kind, e.reason)
            return _error(422, "BadQuery", e.reason)
        return [SearchHitOut(**{k: getattr(h, k) for k in SearchHitOut.model_fields}) for h in hits]

    # -- page -----------------------------------------------------------------------------
    def page(request: Request, name: str, status: int = 200, **ctx) -> HTMLResponse:
        return templates.TemplateResponse(request, name, ctx, status_code=status)

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_form(request: Request, next: str = "/"):
        return page(request, "login.html", next=auth.safe_next(next))

    @app.post("/login", include_in_schema=False)
    async def login(request: Request):
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > 8192:
                return page(request, "login.html", 413, next="/", error="Yêu cầu quá lớn.")
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        target = auth.safe_next(form.get("next"))
        if not auth.token_matches(form.get("token", "").strip(), token):
            return page(request, "login.html", 401, next=target, error="Mã truy cập không đúng.")
        resp = RedirectResponse(target, status_code=303)
        resp.set_cookie(auth.COOKIE, auth.session_value(token), max_age=auth.COOKIE_MAX_AGE, httponly=True,
                        samesite="strict", secure=request.url.scheme == "https", path="/")
        return resp

    @app.post("/logout", include_in_schema=False)
    def logout():
        resp = RedirectResponse("/login", status_code=303)
        resp.delete_cookie(auth.COOKIE, path="/")
        return resp

    def home_page(request: Request, status: int = 200, **ctx) -> HTMLResponse:
        return page(request, "home.html", status, documents=archive.recent(100), others=archive.other_files(100),
                    counts=archive.counts(), errors=archive.recent_errors(), **ctx)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request):
        return home_page(request)

    @app.post("/upload", response_class=HTMLResponse, include_in_schema=False)
    async def upload_page(request: Request):
        try:
            files, _ = await receive_files(request, archive.upload_dir, "files", max_upload_bytes)
        except UploadRefused as e:
            resp = home_page(request, e.status, upload_error=e.message)
            if e.status == 413:
                resp.headers["Connection"] = "close"
            return resp
        if not files:
            return home_page(request, 422, upload_error="Chưa chọn tệp nào để tải lên.")
        results = []
        for f in files:
            try:
                outcome = await run_in_threadpool(archive.import_received, f)
            except StoreError as e:
                outcome = FileOutcome(f.name, FAILED, None, f.sha256, "store", e.kind, e.reason)
            summary = await run_in_threadpool(archive.summary, outcome.doc_id) if outcome.doc_id else None
            results.append({"name": f.name, "size": f.size, "outcome": outcome, "summary": summary})
        if len(results) == 1 and results[0]["outcome"].doc_id:
            o = results[0]["outcome"]
            flag = "imported" if o.status == IMPORTED else "already"
            return RedirectResponse(f"/documents/{o.doc_id}?uploaded={flag}", status_code=303)
        failed = sum(1 for r in results if r["outcome"].status in (FAILED, SKIPPED))
        return page(request, "results.html", 422 if failed == len(results) else 200, results=results)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, doc_id: str, uploaded: Optional[str] = None):
        doc = archive.document(doc_id) if len(doc_id) == 16 else None
        if doc is None:
            return page(request, "notfound.html", 404, doc_id=doc_id)
        h = doc["header"]
        return page(request, "document.html", doc=doc, h=h, uploaded=uploaded,
                    tree=views.body_tree(doc["sections"], doc["tasks"]),
                    segments=views.text_segments(h.get("text") or "", doc),
                    units=views.unit_summary(doc["tasks"]))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = ""):
        hits, error = [], None
        if views.looks_like_path(q):          # a path the file was seen under: go to it
            found = archive.find(q)
            if len(found) == 1:
                return RedirectResponse(f"/documents/{found[0]}", status_code=303)
        if q.strip():
            try:
                hits = archive.search(q, 30)
            except StoreError as e:
                error = e.reason
        return page(request, "search.html", q=q, hits=hits, error=error)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        headers = dict(exc.headers or {})
        if exc.status_code == 405:           # Allow: every method of every route at this path
            methods = set()
            for route in app.routes:
                if isinstance(route, APIRoute) and route.path_regex.match(request.url.path):
                    methods |= route.methods
            headers["Allow"] = ", ".join(sorted(methods))
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)

    app.add_middleware(auth.TokenMiddleware, token=token)
    app.add_middleware(SecurityHeaders)
    return app
