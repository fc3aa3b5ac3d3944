"""The body tree of a list of paragraphs, as the analysis reads it: shared by the tests of
items, quotes and tables."""
from pipeline.analyse.body import closing_start, is_heading, items_to_tree, paragraphs_to_items, walk
from pipeline.model import Block


def tree(texts: list[str]) -> list[tuple[str, str, str]]:
    """(S for a section or T for a task, path, full text) of each item, in order."""
    blocks = [Block(text=t) for t in texts]
    idx = list(range(len(blocks)))
    roots = items_to_tree(paragraphs_to_items(blocks, idx[:closing_start(blocks, idx)]))
    out = []
    for item in walk(roots):
        item.is_section = is_heading(item)
        out.append(("S" if item.is_section else "T", item.path, item.full_text))
    return out
