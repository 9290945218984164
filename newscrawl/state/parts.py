"""Adopting part files into a state store: shared by both stores."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from newscrawl.state import CommittedRow
from newscrawl.storage.parquet import list_parts

# The columns a store needs from a part to record its articles.
STATE_COLUMNS = ["id", "canonical_url", "url", "content_hash", "version", "published_at",
                 "crawled_at", "extractor_version"]


def adopt_parts(root: Path, recorded: Callable[[str], bool],
                commit_part: Callable[[str, Iterable[CommittedRow]], None]) -> int:
    """Commit every visible part that `recorded` does not know (its commit was lost to a
    kill between rename and state update); returns how many."""
    adopted = 0
    for relpath in list_parts(root):
        if not recorded(relpath):
            table = pq.read_table(Path(root) / relpath, columns=STATE_COLUMNS)
            commit_part(relpath, [CommittedRow(row) for row in table.to_pylist()])
            adopted += 1
    return adopted


def iso_or_none(value: Any) -> str | None:
    """A datetime as ISO 8601, anything else as None."""
    return value.isoformat() if isinstance(value, datetime) else None
