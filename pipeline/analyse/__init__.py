"""Analyse: the blocks of one notice → a `Notice` (header, body tree, tasks, entities).

`analyse` is loaded on first use so that importing one analysis module (a rule test, a
notebook cell) does not load them all.
"""
from __future__ import annotations


def __getattr__(name: str):
    if name == "analyse":
        from pipeline.analyse.notice import analyse
        return analyse
    raise AttributeError(name)
