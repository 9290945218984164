"""Dataset health: find damaged part files and a damaged state database, and set them aside.

The parts are the truth, so one damaged file must not block the dataset: a part whose footer
cannot be read (a truncated or zero-byte file, a disk error) or whose footer contradicts
itself is moved to `<root>/_quarantine/<same relative path>`, where every reader ignores it
(the `_` prefix) and a person can still inspect it. The check reads only footers, so it costs
milliseconds per part at the start of a crawl.

A state database that SQLite cannot open is moved aside the same way; opening the state
afresh then rebuilds it from the parts (its `reconcile()` adopts every part it has not
recorded, which on an empty state is every part).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from newscrawl.storage.parquet import list_parts, part_dataset

logger = logging.getLogger(__name__)

QUARANTINE_DIR = "_quarantine"
STATE_DB = Path("_state") / "crawl.sqlite"
# SQLite's companions of the database file: they belong to it and move with it.
_STATE_COMPANIONS = ("-wal", "-shm", "-journal")


class DamagedPartError(ValueError):
    """A part file cannot be read; raised in strict mode. The message names the part."""


@dataclass(frozen=True)
class DamagedPart:
    """A part that cannot be trusted: its path relative to the dataset root, and why."""

    path: str
    reason: str


@dataclass
class HealthReport:
    """The outcome of checking every visible part.

    healthy: relative paths of readable parts; rows: each healthy part's row count, as its
    footer states it (for comparing with the state's record of the part); damaged: the rest.
    """

    healthy: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    damaged: list[DamagedPart] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.damaged


def check_part(path: Path) -> tuple[int | None, str | None]:
    """(row count, None) for a readable part, (None, reason) for a damaged one.

    Readable means: the footer parses, its row groups add up to its row count, and every
    column chunk it points to lies between the leading magic bytes and the footer. Never
    raises.
    """
    try:
        size = path.stat().st_size
        if size == 0:
            return None, "empty file (0 bytes)"
        meta = pq.read_metadata(path)
    except (OSError, ValueError, pa.ArrowException) as exc:
        return None, f"unreadable Parquet footer ({exc})"
    # The data pages sit between the 4-byte magic and the footer (+ its length and magic).
    data_end = size - meta.serialized_size - 8
    try:
        groups = [meta.row_group(i) for i in range(meta.num_row_groups)]
        if sum(g.num_rows for g in groups) != meta.num_rows:
            return None, (f"footer states {meta.num_rows} rows but its row groups hold "
                          f"{sum(g.num_rows for g in groups)}")
        for group in groups:
            for c in range(group.num_columns):
                chunk = group.column(c)
                start = chunk.data_page_offset
                if chunk.has_dictionary_page and chunk.dictionary_page_offset:
                    start = min(start, chunk.dictionary_page_offset)
                if start < 4 or start + chunk.total_compressed_size > data_end:
                    return None, (f"column {chunk.path_in_schema} points past the end of the "
                                  f"data ({size} bytes in the file)")
    except (OSError, ValueError, pa.ArrowException) as exc:
        return None, f"inconsistent Parquet footer ({exc})"
    return meta.num_rows, None


def check_parts(root: str | Path) -> HealthReport:
    """Check every visible part under `root` (footers only). Pure: moves nothing."""
    root = Path(root)
    report = HealthReport()
    for relpath in list_parts(root):
        rows, reason = check_part(root / relpath)
        if reason is not None:
            report.damaged.append(DamagedPart(relpath, reason))
        else:
            report.healthy.append(relpath)
            report.rows[relpath] = rows or 0
    return report


def readable_parts(root: str | Path, *, strict: bool = False) -> list[str]:
    """Relative paths of the readable parts, for readers (`load`, `compact`).

    A damaged part is left where it is and skipped with a warning naming it; with `strict`,
    the first one raises DamagedPartError instead.
    """
    report = check_parts(root)
    for part in report.damaged:
        if strict:
            raise DamagedPartError(f"damaged part file {Path(root) / part.path}: {part.reason}")
        logger.warning("skipping damaged part file %s: %s", Path(root) / part.path, part.reason)
    return report.healthy


def read_parts(root: str | Path, *, strict: bool = False) -> dict[str, pa.Table]:
    """Every readable part's rows, by relative path, for readers that load them all anyway
    (`compact`): beyond the footer check, a part whose pages cannot be decoded is skipped
    with a warning naming it, or raises DamagedPartError with `strict`."""
    root = Path(root)
    tables: dict[str, pa.Table] = {}
    for relpath in readable_parts(root, strict=strict):
        try:
            # With the current schema, and site/date from the path for legacy parts.
            tables[relpath] = part_dataset(root, [relpath]).to_table()
        except (OSError, ValueError, pa.ArrowException) as exc:
            message = f"damaged part file {root / relpath}: unreadable rows ({exc})"
            if strict:
                raise DamagedPartError(message) from None
            logger.warning("skipping %s", message)
    return tables


def quarantine(root: str | Path, relpath: str, reason: str = "damaged") -> Path:
    """Move the part `relpath` to `<root>/_quarantine/<relpath>`; returns where it went.

    An earlier quarantined file of the same name is kept: the new one gets a numbered name.
    """
    root = Path(root)
    target = _free_name(root / QUARANTINE_DIR / relpath)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(root / relpath, target)
    logger.warning("moved damaged part file %s to %s (%s); its articles will be fetched again",
                   root / relpath, target, reason)
    return target


def part_urls(path: Path) -> list[str] | None:
    """The canonical URLs a part holds, or None when its rows cannot be read."""
    try:
        table = pq.read_table(path, columns=["canonical_url"])
    except (OSError, ValueError, pa.ArrowException):
        return None
    return [url for url in table["canonical_url"].to_pylist() if url]


def urls_in_parts(root: str | Path, relpaths: list[str]) -> set[str]:
    """Every canonical URL the given (readable) parts hold.

    For a state that must forget the articles of a part whose rows cannot be read: an
    article the state knows but no healthy part holds is one to fetch again.
    """
    urls: set[str] = set()
    for relpath in relpaths:
        urls.update(part_urls(Path(root) / relpath) or ())
    return urls


@dataclass(frozen=True)
class QuarantinedPart:
    """A part moved aside: where it was, where it is, why, and the canonical URLs it held
    (None when its rows could not be read: then compare the state with `urls_in_parts`)."""

    path: str
    moved_to: Path
    reason: str
    canonical_urls: list[str] | None


def heal_parts(root: str | Path) -> tuple[HealthReport, list[QuarantinedPart]]:
    """Check every part and quarantine the damaged ones (run while holding the writer lock,
    before the state reconciles). Returns the report and what was moved."""
    root = Path(root)
    report = check_parts(root)
    moved = []
    for part in report.damaged:
        urls = part_urls(root / part.path)
        target = quarantine(root, part.path, part.reason)
        moved.append(QuarantinedPart(part.path, target, part.reason, urls))
    return report, moved


def check_state_db(root: str | Path) -> str | None:
    """Why the state database under `root` cannot be used, or None (also when it does not
    exist yet: opening the state creates it). Never raises."""
    path = Path(root) / STATE_DB
    if not path.exists():
        return None
    if not path.is_file():
        return f"{path} is not a file"
    try:
        db = sqlite3.connect(path)
        try:
            result = db.execute("PRAGMA quick_check").fetchone()
        finally:
            db.close()
    except sqlite3.Error as exc:
        return f"{path}: {exc}"
    if not result or result[0] != "ok":
        return f"{path}: integrity check failed ({result[0] if result else 'no answer'})"
    return None


def quarantine_state_db(root: str | Path) -> Path | None:
    """Move a damaged state database (and its SQLite companions) to `_quarantine/_state/`,
    so that opening the state rebuilds it from the parts. Returns where it went, or None
    when the database is healthy or absent."""
    root = Path(root)
    reason = check_state_db(root)
    if reason is None:
        return None
    source = root / STATE_DB
    target = _free_name(root / QUARANTINE_DIR / STATE_DB)
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in _STATE_COMPANIONS:
        companion = source.with_name(source.name + suffix)
        if companion.exists():
            os.replace(companion, target.with_name(target.name + suffix))
    os.replace(source, target)
    logger.warning("the crawl state is damaged (%s); moved it to %s and rebuilding it from "
                   "the part files", reason, target)
    return target


def salvage_pending(path: Path) -> list[tuple[str, str]]:
    """The pending links (site, URL) a state database set aside as damaged still gives up,
    read-only, as far as its `pending` table reads. The parts rebuild everything else the
    state holds, but not these: links from stories already in the dataset, which nothing
    else leads a run back to. Never raises."""
    found: list[tuple[str, str]] = []
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            for site, url in db.execute("SELECT site, url FROM pending"):
                found.append((str(site), str(url)))
        finally:
            db.close()
    except sqlite3.Error as exc:
        logger.warning("the damaged state %s gave %d pending links before failing (%s); "
                       "stories reached only through the links of stored stories may be "
                       "missed", path, len(found), exc)
    return found


def _free_name(target: Path) -> Path:
    candidate, number = target, 1
    while candidate.exists():
        candidate = target.with_name(f"{target.name}.{number}")
        number += 1
    return candidate
