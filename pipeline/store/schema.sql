-- The vanban archive schema. One file, read top to bottom by pipeline/store/duckdb.py.
--
-- Each `-- version: N` section is the step from version N-1 to N and runs in one
-- transaction; schema_info's 'version' row says which steps a database has had, so an
-- older database is carried forward on open by running the steps it lacks. Never edit a
-- step that has shipped: append a new one. Columns named in shared/eval/README.md (the
-- table contract) are never renamed.
--
-- Every extracted row carries its provenance: span_start/span_end (character offsets into
-- documents.text), block (index of the ingest block) and page (1-based, PDF and scans).

-- version: 1
CREATE TABLE IF NOT EXISTS schema_info (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS documents (
    doc_id           VARCHAR PRIMARY KEY,   -- first 16 hex digits of sha256
    sha256           VARCHAR NOT NULL UNIQUE,
    source_path      VARCHAR NOT NULL,      -- as given on import
    format           VARCHAR,
    pages            INTEGER,
    issuer           VARCHAR,
    issuer_parent    VARCHAR,
    number           VARCHAR,
    symbol           VARCHAR,
    doc_type         VARCHAR,
    doc_type_name    VARCHAR,
    place            VARCHAR,
    issued_date      DATE,
    subject          VARCHAR,
    urgency          VARCHAR,
    confidentiality  VARCHAR,
    sign_authority   VARCHAR,
    signed_for       VARCHAR,
    signer_title     VARCHAR,
    signer_name      VARCHAR,
    text             VARCHAR,
    text_folded      VARCHAR,               -- lower case, no diacritics, đ → d: what search indexes
    subject_folded   VARCHAR,
    schema_version   INTEGER,               -- pipeline.model.SCHEMA_VERSION of the Notice
    pipeline_version VARCHAR,
    ingest_ms        DOUBLE,
    analyse_ms       DOUBLE,
    imported_at      TIMESTAMP NOT NULL
);

-- every path the same bytes were seen under (documents.source_path is the first)
CREATE TABLE IF NOT EXISTS sources (
    doc_id      VARCHAR NOT NULL,
    source_path VARCHAR NOT NULL,
    seen_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (doc_id, source_path)
);

CREATE TABLE IF NOT EXISTS sections (
    doc_id     VARCHAR NOT NULL,
    ordinal    INTEGER NOT NULL,
    path       VARCHAR,
    label      VARCHAR,
    heading    VARCHAR,
    level      INTEGER,
    span_start INTEGER, span_end INTEGER, block INTEGER, page INTEGER
);

CREATE TABLE IF NOT EXISTS tasks (
    task_id       VARCHAR NOT NULL,         -- doc_id#ordinal, the key search indexes tasks by
    doc_id        VARCHAR NOT NULL,
    ordinal       INTEGER NOT NULL,
    path          VARCHAR,
    label         VARCHAR,
    level         INTEGER,
    unit          VARCHAR,
    text          VARCHAR,
    text_folded   VARCHAR,
    deadline      DATE,
    deadline_text VARCHAR,
    period_kind   VARCHAR,
    period_start  DATE,
    period_end    DATE,
    period_text   VARCHAR,
    roles         VARCHAR[],
    urgency       VARCHAR,
    citations     VARCHAR[],
    span_start INTEGER, span_end INTEGER, block INTEGER, page INTEGER
);

CREATE TABLE IF NOT EXISTS citations (
    doc_id        VARCHAR NOT NULL,
    ordinal       INTEGER NOT NULL,
    ref           VARCHAR,
    number        VARCHAR,
    year          INTEGER,
    doc_type      VARCHAR,
    doc_type_name VARCHAR,
    issuer_code   VARCHAR,
    issuer        VARCHAR,
    cited_date    DATE,
    text          VARCHAR,
    span_start INTEGER, span_end INTEGER, block INTEGER, page INTEGER
);

CREATE TABLE IF NOT EXISTS dates (
    doc_id  VARCHAR NOT NULL,
    ordinal INTEGER NOT NULL,
    value   DATE,
    text    VARCHAR,
    span_start INTEGER, span_end INTEGER, block INTEGER, page INTEGER
);

CREATE TABLE IF NOT EXISTS periods (
    doc_id  VARCHAR NOT NULL,
    ordinal INTEGER NOT NULL,
    kind    VARCHAR,
    start   DATE,
    "end"   DATE,
    text    VARCHAR,
    span_start INTEGER, span_end INTEGER, block INTEGER, page INTEGER
);

CREATE TABLE IF NOT EXISTS persons (
    doc_id  VARCHAR NOT NULL,
    ordinal INTEGER NOT NULL,
    name    VARCHAR,
    title   VARCHAR,
    role    VARCHAR,
    span_start INTEGER, span_end INTEGER, block INTEGER, page INTEGER
);

CREATE TABLE IF NOT EXISTS recipients (
    doc_id  VARCHAR NOT NULL,
    ordinal INTEGER NOT NULL,
    text    VARCHAR,
    kind    VARCHAR,
    span_start INTEGER, span_end INTEGER, block INTEGER, page INTEGER
);

CREATE TABLE IF NOT EXISTS organisations (
    doc_id     VARCHAR NOT NULL,
    ordinal    INTEGER NOT NULL,
    name       VARCHAR,
    normalised VARCHAR,
    kind       VARCHAR,
    span_start INTEGER, span_end INTEGER, block INTEGER, page INTEGER
);

CREATE TABLE IF NOT EXISTS warnings (
    doc_id  VARCHAR NOT NULL,
    ordinal INTEGER NOT NULL,
    message VARCHAR
);

-- one row per file that failed, replaced when it fails again, deleted once it imports
CREATE TABLE IF NOT EXISTS import_errors (
    source_path VARCHAR NOT NULL,   -- as given on import
    sha256      VARCHAR,            -- NULL when the file could not even be read
    stage       VARCHAR NOT NULL,   -- read, ingest, analyse, rules, store, worker, pipeline
    error       VARCHAR NOT NULL,   -- kind: CorruptFile, UnsupportedFormat, WorkerCrashed…
    message     VARCHAR NOT NULL,   -- the reason, for a clerk
    attempts    INTEGER NOT NULL DEFAULT 1,
    "at"        TIMESTAMP NOT NULL
);

-- version: 2
-- The views and macros an analyst writes first.

-- tasks with their unit and deadline, each with the notice it comes from
CREATE OR REPLACE VIEW tasks_by_unit AS
SELECT coalesce(t.unit, '(no unit)') AS unit,
       t.deadline,
       t.deadline_text,
       CAST(date_trunc('quarter', t.deadline) AS DATE) AS deadline_quarter,
       t.path, t.text, t.roles, t.urgency,
       d.doc_id, d.number, d.symbol, d.issuer, d.issued_date, d.subject, d.source_path
FROM tasks t JOIN documents d USING (doc_id);

-- tasks due between two dates, inclusive: SELECT * FROM tasks_due(DATE '2021-04-01', DATE '2021-06-30')
CREATE OR REPLACE MACRO tasks_due(date_from, date_to) AS TABLE
SELECT * FROM tasks_by_unit
WHERE deadline BETWEEN CAST(date_from AS DATE) AND CAST(date_to AS DATE)
ORDER BY deadline, unit;

-- each citation, resolved to the imported documents it names when there are any
-- (one cited notice may be imported as several files: its .docx, .pdf and scan)
CREATE OR REPLACE VIEW citation_graph AS
SELECT c.doc_id          AS citing_doc_id,
       src.number        AS citing_number,
       src.symbol        AS citing_symbol,
       c.ref, c.doc_type, c.year, c.cited_date,
       tgt.doc_id        AS cited_doc_id,
       tgt.subject       AS cited_subject,
       tgt.issued_date   AS cited_issued_date
FROM citations c
JOIN documents src ON src.doc_id = c.doc_id
LEFT JOIN documents tgt
  ON tgt.doc_id <> c.doc_id
 AND tgt.number IS NOT NULL AND tgt.symbol IS NOT NULL
 AND (upper(replace(replace(c.ref, ' ', ''), 'Ð', 'Đ'))
        = upper(replace(replace(tgt.number || '/' || tgt.symbol, ' ', ''), 'Ð', 'Đ'))
      OR (c.number IS NOT NULL AND c.year IS NOT NULL AND c.doc_type IS NOT NULL
          AND split_part(tgt.number, '/', 1) = split_part(c.number, '/', 1)
          AND upper(tgt.doc_type) = upper(c.doc_type)
          AND year(tgt.issued_date) = c.year));

-- how often each reference is cited, by how many distinct notices
CREATE OR REPLACE VIEW most_cited AS
SELECT ref, any_value(doc_type) AS doc_type,
       count(DISTINCT citing_doc_id) AS cited_by,
       list(DISTINCT cited_doc_id) FILTER (WHERE cited_doc_id IS NOT NULL) AS resolved_to
FROM citation_graph
GROUP BY ref
ORDER BY cited_by DESC, ref;

CREATE OR REPLACE VIEW documents_per_issuer_month AS
SELECT coalesce(issuer, '(unknown)') AS issuer,
       CAST(date_trunc('month', issued_date) AS DATE) AS month,
       count(*) AS documents
FROM documents
GROUP BY ALL
ORDER BY month, issuer;

-- version: 3
-- What ingest set aside from the pages as not the notice (a portal's signature box, an
-- incoming stamp, a seal, a picture laid over a scan), and what a văn bản đến's stamp says.
ALTER TABLE documents ADD COLUMN IF NOT EXISTS received_number VARCHAR;   -- số đến (NĐ 30/2020 Phụ lục VI)
ALTER TABLE documents ADD COLUMN IF NOT EXISTS received_date DATE;        -- ngày đến
-- how surely it was read, and why a person should check it against the paper
ALTER TABLE documents ADD COLUMN IF NOT EXISTS needs_review BOOLEAN;
-- the issuer as grouped: one tone placement, one case (`Uỷ ban…` and `ỦY BAN…` are one body)
ALTER TABLE documents ADD COLUMN IF NOT EXISTS issuer_key VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS review_reasons VARCHAR[];
ALTER TABLE tasks ADD COLUMN IF NOT EXISTS confidence DOUBLE;          -- 0..1, the OCR of its line
ALTER TABLE citations ADD COLUMN IF NOT EXISTS confidence DOUBLE;

-- each header and signature field that was read, and how surely (0..1)
CREATE TABLE IF NOT EXISTS field_confidence (
    doc_id     VARCHAR NOT NULL,
    field      VARCHAR NOT NULL,   -- issuer, number, symbol, issued_date, signer_name…
    confidence DOUBLE NOT NULL
);

CREATE TABLE IF NOT EXISTS marks (
    doc_id     VARCHAR NOT NULL,
    ordinal    INTEGER NOT NULL,
    kind       VARCHAR,           -- box, stamp, seal, handwriting, image, furniture
    page       INTEGER,
    x0 DOUBLE, y0 DOUBLE, x1 DOUBLE, y1 DOUBLE,   -- points, origin top left of the page
    text       VARCHAR,           -- what it says, as read (never part of documents.text)
    fields     JSON,              -- what it tells: signed_by, signed_at, received_number, received_date…
    confidence DOUBLE             -- OCR mean word confidence of its text, when it was OCRed
);

-- one issuer under one name whatever the case or tone placement of its files: grouped by
-- issuer_key, named by the spelling its files use most
CREATE OR REPLACE VIEW documents_per_issuer_month AS
SELECT coalesce(mode(issuer), '(unknown)') AS issuer,
       CAST(date_trunc('month', issued_date) AS DATE) AS month,
       count(*) AS documents
FROM documents
GROUP BY issuer_key, CAST(date_trunc('month', issued_date) AS DATE)
ORDER BY month, issuer;

-- version: 4
-- Every table of a document's body as a table (a plan's tasks, a list of names, a budget):
-- where it stands and its grid; a table a page break cuts is one table.
CREATE TABLE IF NOT EXISTS doc_tables (
    doc_id     VARCHAR NOT NULL,
    table_no   INTEGER NOT NULL,   -- 0-based, in the order the reader met the file's tables
    page       INTEGER,            -- 1-based first page (PDF)
    paragraph  INTEGER,            -- 0-based body paragraph where it stands (.docx, .txt)
    n_rows     INTEGER NOT NULL,
    n_cols     INTEGER NOT NULL,
    kind       VARCHAR,            -- tasks (its rows are items of tasks/sections), other
    x0 DOUBLE, y0 DOUBLE, x1 DOUBLE, y1 DOUBLE    -- points on its first page, origin top left
);

-- one row per cell, at the top-left grid position it covers; a merged cell spans more
CREATE TABLE IF NOT EXISTS table_cells (
    doc_id     VARCHAR NOT NULL,
    table_no   INTEGER NOT NULL,
    "row"      INTEGER NOT NULL,   -- 0-based grid row (the header row is row 0)
    col        INTEGER NOT NULL,   -- 0-based grid column
    row_span   INTEGER NOT NULL,
    col_span   INTEGER NOT NULL,
    text       VARCHAR,
    page       INTEGER,
    x0 DOUBLE, y0 DOUBLE, x1 DOUBLE, y1 DOUBLE
);

-- version: 5
-- One notice, many files (issue 13): an archive keeps the Word draft, the portal's PDF and the
-- signed scan of one notice; each is a `documents` row (the table contract scores each file),
-- and each points to its notice. The views count notices: each reads the rows of one file per
-- notice, the one that reads best (notices.doc_id), so a task of a notice held as four files
-- is counted once. pipeline/store/notices.py decides which files are one notice; a migration
-- groups the files already stored (pipeline/store/linking.py, run after this step).
CREATE TABLE IF NOT EXISTS notices (
    notice_id   INTEGER PRIMARY KEY,
    doc_id      VARCHAR NOT NULL,   -- the chosen file: text over scans, then the fullest header
    match_key   VARCHAR,            -- the fuzzy symbol its files share (OCR slips folded away)
    issuer_key  VARCHAR,            -- the rest is the chosen file's header, repeated
    issuer      VARCHAR,
    number      VARCHAR,
    symbol      VARCHAR,
    doc_type    VARCHAR,
    issued_date DATE,
    subject     VARCHAR,
    files       INTEGER NOT NULL,   -- how many stored files hold it
    created_at  TIMESTAMP NOT NULL
);
ALTER TABLE documents ADD COLUMN IF NOT EXISTS notice_id INTEGER;   -- NULL: not a notice
-- draft (.docx, .doc), published (a PDF's text layer), signed scan (OCRed), text, other
ALTER TABLE documents ADD COLUMN IF NOT EXISTS role VARCHAR;
-- false for a file that reads but carries no mark of an official notice (no Số, no kind, no
-- motto, no issuer): it gets no notice and the views leave it out; NULL counts as a notice
ALTER TABLE documents ADD COLUMN IF NOT EXISTS is_notice BOOLEAN;
-- the date a task is due: its deadline, else the last day of the period it must be done in
-- (`hoàn thành trong Quý II/2021` → 2021-06-30)
ALTER TABLE tasks ADD COLUMN IF NOT EXISTS due DATE;
UPDATE tasks SET due = coalesce(deadline, period_end) WHERE due IS NULL;

-- one row per notice: its chosen file's documents row. A file no writer has linked to a
-- notice (notice_id NULL: a store that does not group, such as the lake) stands for itself.
CREATE OR REPLACE VIEW notice_documents AS
SELECT d.* FROM notices n JOIN documents d ON d.doc_id = n.doc_id
WHERE coalesce(d.is_notice, true)
UNION ALL BY NAME
SELECT d.* FROM documents d WHERE d.notice_id IS NULL AND coalesce(d.is_notice, true);

-- every file of every notice, the chosen one first
CREATE OR REPLACE VIEW notice_files AS
SELECT n.notice_id, d.doc_id, d.role, d.format, d.source_path, d.doc_id = n.doc_id AS chosen,
       n.issuer, n.number, n.symbol, n.issued_date, n.subject
FROM notices n JOIN documents d ON d.notice_id = n.notice_id
ORDER BY n.notice_id, chosen DESC, d.source_path;

-- tasks with their unit and due date, each with the notice it comes from (its chosen file)
CREATE OR REPLACE VIEW tasks_by_unit AS
SELECT coalesce(t.unit, '(no unit)') AS unit,
       t.deadline,
       t.deadline_text,
       CAST(date_trunc('quarter', t.deadline) AS DATE) AS deadline_quarter,
       t.path, t.text, t.roles, t.urgency,
       d.doc_id, d.number, d.symbol, d.issuer, d.issued_date, d.subject, d.source_path,
       t.due,
       CAST(date_trunc('quarter', t.due) AS DATE) AS due_quarter,
       t.period_text,
       coalesce(t.deadline_text, t.period_text) AS due_text,
       d.notice_id, t.task_id
FROM tasks t JOIN notice_documents d USING (doc_id);

-- tasks due between two dates, inclusive, by their deadline or the end of their period:
-- SELECT * FROM tasks_due(DATE '2021-04-01', DATE '2021-06-30')
CREATE OR REPLACE MACRO tasks_due(date_from, date_to) AS TABLE
SELECT * FROM tasks_by_unit
WHERE due BETWEEN CAST(date_from AS DATE) AND CAST(date_to AS DATE)
ORDER BY due, unit;

-- each citation of every file, resolved to the stored notices it names when there are any
-- (matched against every file of a notice, so a scan's number counts too); cited_doc_id is
-- the cited notice's chosen file. What a page of one file links to; count with citation_graph.
CREATE OR REPLACE VIEW citation_links AS
WITH resolved AS (
    SELECT DISTINCT c.doc_id, c.ordinal, tgt.notice_id
    FROM citations c
    JOIN documents src ON src.doc_id = c.doc_id
    JOIN documents tgt
      ON tgt.notice_id IS NOT NULL AND coalesce(tgt.is_notice, true)
     AND tgt.notice_id IS DISTINCT FROM src.notice_id AND tgt.doc_id <> c.doc_id
     AND tgt.number IS NOT NULL AND tgt.symbol IS NOT NULL
     AND (upper(replace(replace(c.ref, ' ', ''), 'Ð', 'Đ'))
            = upper(replace(replace(tgt.number || '/' || tgt.symbol, ' ', ''), 'Ð', 'Đ'))
          OR (c.number IS NOT NULL AND c.year IS NOT NULL AND c.doc_type IS NOT NULL
              AND split_part(tgt.number, '/', 1) = split_part(c.number, '/', 1)
              AND upper(tgt.doc_type) = upper(c.doc_type)
              AND year(tgt.issued_date) = c.year)))
SELECT c.doc_id          AS citing_doc_id,
       src.number        AS citing_number,
       src.symbol        AS citing_symbol,
       c.ref, c.doc_type, c.year, c.cited_date,
       tgt.doc_id        AS cited_doc_id,
       tgt.subject       AS cited_subject,
       tgt.issued_date   AS cited_issued_date,
       src.notice_id     AS citing_notice_id,
       r.notice_id       AS cited_notice_id
FROM citations c
JOIN documents src ON src.doc_id = c.doc_id
LEFT JOIN resolved r ON r.doc_id = c.doc_id AND r.ordinal = c.ordinal
LEFT JOIN notice_documents tgt ON tgt.notice_id = r.notice_id
WHERE coalesce(src.is_notice, true);

-- each citation of each notice (read from its chosen file), resolved to notices
CREATE OR REPLACE VIEW citation_graph AS
SELECT * FROM citation_links
WHERE citing_doc_id IN (SELECT doc_id FROM notice_documents);

-- how often each reference is cited, by how many distinct notices
CREATE OR REPLACE VIEW most_cited AS
SELECT ref, any_value(doc_type) AS doc_type,
       count(DISTINCT coalesce(CAST(citing_notice_id AS VARCHAR), citing_doc_id)) AS cited_by,
       list(DISTINCT cited_doc_id) FILTER (WHERE cited_doc_id IS NOT NULL) AS resolved_to,
       list(DISTINCT cited_notice_id) FILTER (WHERE cited_notice_id IS NOT NULL) AS resolved_notices
FROM citation_graph
GROUP BY ref
ORDER BY cited_by DESC, ref;

-- notices per issuer and month (`documents` counts notices too, as it did when each file was
-- taken for a notice); `files` counts the stored files that hold them
CREATE OR REPLACE VIEW documents_per_issuer_month AS
SELECT coalesce(mode(d.issuer), '(unknown)') AS issuer,
       CAST(date_trunc('month', d.issued_date) AS DATE) AS month,
       count(*) AS documents,
       count(*) AS notices,
       sum(coalesce(n.files, 1)) AS files
FROM notice_documents d LEFT JOIN notices n ON n.notice_id = d.notice_id
GROUP BY d.issuer_key, CAST(date_trunc('month', d.issued_date) AS DATE)
ORDER BY month, issuer;

-- version: 6
-- What a notice is, and where its files are (issue 13). Every line is idempotent: the step
-- of another branch may have added the same column first.

-- false: the file read as a document but carries no mark of an official notice (no số and
-- ký hiệu, no kind, no national motto, no issuer): pipeline.analyse.notice_marks.is_notice
ALTER TABLE documents ADD COLUMN IF NOT EXISTS is_notice BOOLEAN;
-- documents stored before this step: the same test on their columns and folded text
UPDATE documents SET is_notice = (number IS NOT NULL OR symbol IS NOT NULL OR doc_type IS NOT NULL
                                  OR issuer IS NOT NULL
                                  OR text_folded LIKE '%cong hoa xa hoi chu nghia viet nam%')
WHERE is_notice IS NULL;

-- every path a copy of a document's bytes was seen under (pipeline/store/paths.py); paths
-- are absolute since this step, those stored before it are kept as they were typed
CREATE TABLE IF NOT EXISTS document_paths (
    doc_id     VARCHAR NOT NULL,
    sha256     VARCHAR NOT NULL,
    path       VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL,   -- imported, moved-to (the watcher's done/), uploaded-as, stored-at
    first_seen TIMESTAMP NOT NULL,
    last_seen  TIMESTAMP NOT NULL,
    PRIMARY KEY (doc_id, path, kind)
);
INSERT INTO document_paths
SELECT s.doc_id, d.sha256, s.source_path,
       CASE WHEN s.source_path LIKE 'upload://%' THEN 'uploaded-as' ELSE 'imported' END,
       min(s.seen_at), max(s.seen_at)
FROM sources s JOIN documents d USING (doc_id)
GROUP BY ALL
ON CONFLICT DO NOTHING;

-- one row per file that is not a document (JSON, markdown, ini, CSV, a spreadsheet, an
-- archive, a web page, Thumbs.db): skipped by the import, replaced when seen again
CREATE TABLE IF NOT EXISTS skipped_files (
    path   VARCHAR PRIMARY KEY,     -- absolute
    sha256 VARCHAR NOT NULL,
    kind   VARCHAR NOT NULL,        -- json, markdown, ini, csv, xml, html, spreadsheet, archive…
    reason VARCHAR NOT NULL,
    "at"   TIMESTAMP NOT NULL
);
