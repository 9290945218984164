"""`newscrawl compact`: merge small part files per partition, keep the newest version of
each id, swap files safely.

Protocol, so a crash at any point leaves a readable dataset with the same rows:
1. write the merged part for a partition to `_tmp/`, and a journal `_state/compaction.json`
   naming it and the parts it replaces;
2. rename the merged part into place (atomic);
3. delete the replaced parts, then the journal.
A crash before 2 leaves the old parts (the journal is discarded at the next start); a crash
after 2 leaves old and new parts with identical rows, and `recover_compaction()`, run by the
next crawl or compaction, finishes step 3. Readers that take the newest version per id
(`newscrawl.load`, the README's DuckDB query) see the same rows throughout.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from newscrawl.storage.health import read_parts
from newscrawl.storage.lock import WriterLock
from newscrawl.storage.parquet import (
    TMP_DIR,
    current_dir_of,
    is_legacy_part,
    write_table_atomically,
)

JOURNAL = Path("_state") / "compaction.json"


@dataclass
class CompactionResult:
    partitions: int = 0
    parts_before: int = 0
    parts_after: int = 0
    rows_before: int = 0
    rows_after: int = 0

    def describe(self) -> str:
        return (f"compacted {self.partitions} partition(s): {self.parts_before} -> "
                f"{self.parts_after} part files, {self.rows_before} -> {self.rows_after} rows "
                "(older versions and repeated rows removed)")


def recover_compaction(root: Path) -> None:
    """Finish or discard a compaction that a crash interrupted."""
    journal = root / JOURNAL
    if not journal.exists():
        return
    entries = json.loads(journal.read_text(encoding="utf-8"))
    for entry in entries:
        if (root / entry["merged"]).exists():
            for old in entry["replaces"]:
                if old != entry["merged"]:
                    (root / old).unlink(missing_ok=True)
    journal.unlink()


def _newest(table: pa.Table) -> set[tuple[str, int]]:
    best: dict[str, int] = {}
    for id_, version in zip(table["id"].to_pylist(), table["version"].to_pylist(), strict=True):
        if version > best.get(id_, 0):
            best[id_] = version
    return set(best.items())


def compact_dataset(root: Path, min_parts: int = 2, strict: bool = False) -> CompactionResult:
    """Compact every partition with at least `min_parts` parts, with superseded rows, or
    with parts in the layout before schema version 2 (they move to the current one).

    A damaged part is left alone and skipped with a warning naming it; with `strict`,
    DamagedPartError names it and nothing is changed."""
    root = Path(root)
    lock = WriterLock(root)
    lock.acquire()
    try:
        recover_compaction(root)
        tables = read_parts(root, strict=strict)
        parts = list(tables)
        result = CompactionResult(parts_before=len(parts))
        everything = pa.concat_tables(tables.values()) if tables else None
        keep = _newest(everything) if everything is not None else set()
        result.rows_before = everything.num_rows if everything is not None else 0
        by_partition: dict[str, list[str]] = defaultdict(list)
        for part in parts:
            by_partition[current_dir_of(part)].append(part)
        for partition, members in sorted(by_partition.items()):
            rows = pa.concat_tables(tables[m] for m in members)
            seen: set[tuple[str, int]] = set()
            mask = []
            for key in zip(rows["id"].to_pylist(), rows["version"].to_pylist(), strict=True):
                mask.append(key in keep and key not in seen)
                seen.add(key)
            merged = rows.filter(pa.array(mask, pa.bool_()))
            if (len(members) < min_parts and merged.num_rows == rows.num_rows
                    and not any(is_legacy_part(m) for m in members)):
                result.parts_after += len(members)
                result.rows_after += rows.num_rows
                continue
            result.partitions += 1
            name = f"{partition}/part-compacted-{os.urandom(4).hex()}.parquet"
            _swap(root, name, members, merged)
            result.parts_after += 1 if merged.num_rows else 0
            result.rows_after += merged.num_rows
        _remove_empty_legacy_dirs(root)
        (root / TMP_DIR).mkdir(exist_ok=True)
        return result
    finally:
        lock.release()


def _remove_empty_legacy_dirs(root: Path) -> None:
    # Left empty once their parts moved; a `site=` directory would make Hive-aware readers
    # add a partition column of their own.
    for day_dir in sorted(root.glob("site=*/date=*")):
        if day_dir.is_dir() and not any(day_dir.iterdir()):
            day_dir.rmdir()
    for site_dir in sorted(root.glob("site=*")):
        if site_dir.is_dir() and not any(site_dir.iterdir()):
            site_dir.rmdir()


def _swap(root: Path, merged_path: str, members: list[str], merged: pa.Table) -> None:
    journal = root / JOURNAL
    journal.parent.mkdir(parents=True, exist_ok=True)
    tmp = journal.with_suffix(".json.tmp")
    tmp.write_text(json.dumps([{"merged": merged_path, "replaces": members}]),
                   encoding="utf-8")
    os.replace(tmp, journal)
    # Written even when every row was superseded elsewhere: recovery deletes the old parts
    # only once the merged file exists; an empty one is removed right after.
    write_table_atomically(root, merged_path, merged)
    recover_compaction(root)
    if not merged.num_rows:
        (root / merged_path).unlink(missing_ok=True)
