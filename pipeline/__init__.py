"""vanban: Vietnamese official notices, from files to a queryable DuckDB archive.

Importing the package loads nothing else: `__version__` is looked up on first use
(importlib.metadata costs ~30 ms, paid by every `vanban` command otherwise).
"""
from functools import lru_cache


@lru_cache(maxsize=None)
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("vanban")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0.0.0"


def __getattr__(name: str):
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
