"""newscrawl: entertainment news sites -> a clean, deduplicated Parquet dataset."""

from __future__ import annotations

__version__ = "0.1.0"
