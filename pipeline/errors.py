"""Typed errors. Each carries the file it concerns and a reason a clerk can read, and says
whether trying again could help (a hung LibreOffice might not hang twice; a corrupt zip will
stay corrupt)."""
from __future__ import annotations


class VanbanError(Exception):
    """Base of every error the pipeline raises on purpose."""

    stage = "pipeline"
    transient = False

    def __init__(self, path: str | None, reason: str, *, transient: bool | None = None):
        self.path = str(path) if path is not None else None
        self.reason = reason
        if transient is not None:
            self.transient = transient
        super().__init__(f"{self.path}: {reason}" if self.path else reason)

    @property
    def kind(self) -> str:
        return type(self).__name__


class IngestError(VanbanError):
    """A file could not be read into blocks."""

    stage = "ingest"


class UnsupportedFormat(IngestError):
    """The content is of a kind the pipeline does not read."""


class NotADocument(IngestError):
    """The file reads as something other than a document (data, a spreadsheet, an archive, a
    web page, a thumbnail cache): it is skipped, not failed. `file_kind` names what it is."""

    def __init__(self, path: str | None, file_kind: str, reason: str):
        self.file_kind = file_kind
        super().__init__(path, reason)


class CorruptFile(IngestError):
    """The file is truncated, damaged or not what its content claims to be."""


class EncryptedFile(IngestError):
    """The file is protected by a password."""


class EmptyDocument(IngestError):
    """The file holds no pages or no text at all."""


class TooLarge(IngestError):
    """The file, a zip member or an image exceeds a safety limit."""


class UnsafeContent(IngestError):
    """XML entities, external references or other content that must not be expanded."""


class ConversionError(IngestError):
    """An external converter (LibreOffice, tesseract) failed or timed out."""


class AnalyseError(VanbanError):
    """Analysis failed on blocks that ingest produced."""

    stage = "analyse"


class RuleFileError(VanbanError):
    """A file under rules/ does not follow its schema; names the file, line and rule id."""

    stage = "rules"


class StoreError(VanbanError):
    """The database refused a write or a read."""

    stage = "store"
