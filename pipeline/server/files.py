"""Documents by their files: find a document by a path it was seen under, and download the
file that holds it. Both sit behind the token like every other route (`auth.TokenMiddleware`).

A download serves only a file whose bytes still hash to the document's sha256
(`pipeline.store.paths.current_file`): a path in the archive that now holds something else
is never served.
"""
from __future__ import annotations

import mimetypes

from fastapi import FastAPI, Query
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel


class LookupResult(BaseModel):
    doc_id: str
    url: str            # the document in the API
    page: str           # the document's page


def _error(status: int, error: str, message: str) -> JSONResponse:
    return JSONResponse({"detail": {"error": error, "message": message}}, status_code=status)


def add_file_routes(app: FastAPI, archive, errors: dict) -> None:
    """`GET /api/lookup?path=` and `GET /documents/{doc_id}/file` on `app`, over `archive`
    (a `pipeline.server.app.Archive`); `errors` are the responses every API route documents."""

    @app.get("/api/lookup", response_model=LookupResult, tags=["api"],
             responses={404: {"description": "No document was seen at that path"},
                        409: {"description": "Several documents were seen there (a file name shared by two)"},
                        **errors})
    def lookup(path: str = Query(..., min_length=1, max_length=4096,
                                 description="A path the file was seen under: absolute, relative to the "
                                             "server's folder, the tail of one, or a file name")):
        """The document seen at `path` (imported from, moved to, uploaded as)."""
        found = archive.find(path)
        if not found:
            return _error(404, "NotFound", f"no document was seen at {path!r}")
        if len(found) > 1:
            return _error(409, "Ambiguous", f"{path!r} names {len(found)} documents: {', '.join(found[:10])}")
        return LookupResult(doc_id=found[0], url=f"/api/documents/{found[0]}", page=f"/documents/{found[0]}")

    @app.get("/documents/{doc_id}/file", include_in_schema=False)
    def download(doc_id: str):
        found = archive.file_of(doc_id) if len(doc_id) == 16 else None
        if found is None:
            return _error(404, "NotFound", f"the file of {doc_id} is not on this machine any more")
        path, name = found
        media = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return FileResponse(path, media_type=media, filename=name)
