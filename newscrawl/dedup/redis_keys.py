"""Names of newscrawl's Redis keys: every key of a dataset sits under `newscrawl:<namespace>:`
(the namespace is the dataset directory's name), so one server can hold several datasets."""

from __future__ import annotations


def key(namespace: str, name: str) -> str:
    """The Redis key `name` of the dataset `namespace`, e.g. key("news", "near:next")."""
    return f"newscrawl:{namespace}:{name}"
