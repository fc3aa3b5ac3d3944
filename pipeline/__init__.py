"""vanban: Vietnamese official notices, from files to a queryable DuckDB archive."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("vanban")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
