"""The upload server (`vanban serve`): an API and a page over the archive.

`create_app(db_path, token)` in `pipeline.server.app`; `serve_command` in
`pipeline.server.command`.
"""
from __future__ import annotations


def create_app(*args, **kwargs):
    from pipeline.server.app import create_app as _create_app
    return _create_app(*args, **kwargs)
