"""newscrawl: entertainment news sites -> a clean, deduplicated Parquet dataset."""

from __future__ import annotations

__version__ = "0.1.0"


def load(root, **kwargs):  # type: ignore[no-untyped-def]
    """Read a newscrawl dataset; see `newscrawl.storage.load.load` for the arguments."""
    from newscrawl.storage.load import load as _load

    return _load(root, **kwargs)
