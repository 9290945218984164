"""newscrawl: entertainment news sites -> a clean, deduplicated Parquet dataset."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["__version__", "load"]

if TYPE_CHECKING:
    from newscrawl.storage.load import load


def __getattr__(name: str) -> object:
    # `newscrawl.load` is newscrawl.storage.load.load itself (so help() and editors show its
    # signature), imported on first use: `import newscrawl` alone (the CLI) needs no pyarrow.
    if name == "load":
        from newscrawl.storage.load import load

        return load
    raise AttributeError(f"module 'newscrawl' has no attribute {name!r}")
