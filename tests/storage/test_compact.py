"""newscrawl.storage.compact: merging parts, newest versions, crash recovery."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from newscrawl.record import arrow_schema
from newscrawl.storage.compact import JOURNAL, compact_dataset, recover_compaction
from newscrawl.storage.lock import DatasetLockedError
from newscrawl.storage.parquet import PartWriter, list_parts, rows_to_table, write_table_atomically
from tests.rows import make_row


def write_parts(root: Path, *batches: list[dict[str, Any]], run_id: str = "r1") -> list[str]:
    """One flush per batch, so each batch becomes its own part(s)."""
    writer = PartWriter(root, run_id=run_id)
    paths = []
    for batch in batches:
        for row in batch:
            writer.add(row)
        paths += [p.path for p in writer.flush()]
    return paths


def all_rows(root: Path) -> list[tuple[str, int, str]]:
    """(id, version, title) of every row in every visible part, sorted."""
    out = []
    for part in list_parts(root):
        table = pq.read_table(root / part, columns=["id", "version", "title"])
        out += list(zip(*(table[c].to_pylist() for c in ("id", "version", "title")), strict=True))
    return sorted(out)


def key(row: dict[str, Any]) -> tuple[str, int, str]:
    return row["id"], row["version"], row["title"]


def test_merges_small_parts_per_partition(tmp_path: Path) -> None:
    rows = [make_row(n) for n in range(1, 5)]
    write_parts(tmp_path, rows[:1], rows[1:2], rows[2:])
    assert len(list_parts(tmp_path)) == 3
    result = compact_dataset(tmp_path)
    [part] = list_parts(tmp_path)
    assert part.startswith("gossip/2026-03-02/part-compacted-")
    assert all_rows(tmp_path) == sorted(key(r) for r in rows)
    assert (result.partitions, result.parts_before, result.parts_after) == (1, 3, 1)
    assert (result.rows_before, result.rows_after) == (4, 4)
    assert pq.read_table(tmp_path / part).schema.equals(arrow_schema())
    assert pq.ParquetFile(tmp_path / part).metadata.row_group(0).column(0).compression == "ZSTD"
    assert not (tmp_path / JOURNAL).exists()


def test_keeps_the_newest_version_of_each_id(tmp_path: Path) -> None:
    old = make_row(1)
    new = make_row(1, version=2, title="Story 1, updated", text="A rewritten story. " * 20)
    other = make_row(2)
    write_parts(tmp_path, [old, other], [new])
    result = compact_dataset(tmp_path)
    assert all_rows(tmp_path) == sorted([key(new), key(other)])
    assert (result.rows_before, result.rows_after) == (3, 2)


def test_newest_version_in_another_partition(tmp_path: Path) -> None:
    # The page changed its publication date between runs: v1 and v2 live in different
    # partitions, and v1's partition ends up empty.
    old = make_row(1)
    new = make_row(1, version=2, published_at=datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    write_parts(tmp_path, [old], [new])
    compact_dataset(tmp_path, min_parts=1)
    assert all_rows(tmp_path) == [key(new)]
    assert [p.split("/")[1] for p in list_parts(tmp_path)] == ["2026-03-03"]


def test_repeated_identical_rows_are_kept_once(tmp_path: Path) -> None:
    row = make_row(1)
    write_parts(tmp_path, [row], [row], [row, make_row(2)])
    result = compact_dataset(tmp_path)
    assert all_rows(tmp_path) == sorted([key(row), key(make_row(2))])
    assert (result.rows_before, result.rows_after) == (4, 2)


def test_single_clean_part_is_left_alone(tmp_path: Path) -> None:
    [gossip] = write_parts(tmp_path, [make_row(1), make_row(2)])
    tv = write_parts(tmp_path, [make_row(3, site="tv")], [make_row(4, site="tv")], run_id="r2")
    result = compact_dataset(tmp_path)
    parts = list_parts(tmp_path)
    assert gossip in parts                   # untouched, same file
    assert not set(tv) & set(parts)          # the two tv parts were merged
    assert len(parts) == 2
    assert result.describe() == ("compacted 1 partition(s): 3 -> 2 part files, 4 -> 4 rows "
                                 "(older versions and repeated rows removed)")


def test_compacting_twice_changes_nothing(tmp_path: Path) -> None:
    write_parts(tmp_path, [make_row(1)], [make_row(2)])
    compact_dataset(tmp_path)
    before = list_parts(tmp_path)
    result = compact_dataset(tmp_path)
    assert list_parts(tmp_path) == before
    assert result.partitions == 0


def test_empty_dataset(tmp_path: Path) -> None:
    result = compact_dataset(tmp_path)
    assert (result.partitions, result.parts_before, result.rows_before) == (0, 0, 0)


def test_refuses_while_another_writer_holds_the_dataset(tmp_path: Path) -> None:
    write_parts(tmp_path, [make_row(1)], [make_row(2)])
    # Another process (a crawl) holds the writer lock.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from newscrawl.storage.lock import WriterLock;"
         f"WriterLock({str(tmp_path)!r}).acquire(); print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(DatasetLockedError):
            compact_dataset(tmp_path)
    finally:
        holder.kill()
        holder.communicate()
    assert len(list_parts(tmp_path)) == 2


def simulate_crash_after_rename(root: Path) -> tuple[list[str], str]:
    """Steps 1 and 2 of the protocol done by hand (journal, merged part renamed into place),
    then the 'kill': the replaced parts are still there."""
    old = make_row(1)
    new = make_row(1, version=2, text="A rewritten story. " * 20)
    parts = write_parts(root, [old, make_row(2)], [new])
    merged_rows = [make_row(2), new]
    merged = "gossip/2026-03-02/part-compacted-deadbeef.parquet"
    journal = root / JOURNAL
    journal.parent.mkdir(parents=True, exist_ok=True)
    journal.write_text(json.dumps([{"merged": merged, "replaces": parts}]), encoding="utf-8")
    write_table_atomically(root, merged, rows_to_table(merged_rows))
    return parts, merged


def test_recover_after_crash_between_rename_and_delete(tmp_path: Path) -> None:
    parts, merged = simulate_crash_after_rename(tmp_path)
    assert sorted(list_parts(tmp_path)) == sorted([*parts, merged])
    recover_compaction(tmp_path)
    assert list_parts(tmp_path) == [merged]
    assert all_rows(tmp_path) == sorted([key(make_row(2)), key(make_row(
        1, version=2, text="A rewritten story. " * 20))])
    assert not (tmp_path / JOURNAL).exists()
    recover_compaction(tmp_path)             # nothing left to do
    assert list_parts(tmp_path) == [merged]


def test_compaction_finishes_an_interrupted_one_first(tmp_path: Path) -> None:
    _, merged = simulate_crash_after_rename(tmp_path)
    compact_dataset(tmp_path)
    assert list_parts(tmp_path) == [merged]
    assert len(all_rows(tmp_path)) == 2


def test_recover_after_crash_before_rename_keeps_old_parts(tmp_path: Path) -> None:
    parts = write_parts(tmp_path, [make_row(1)], [make_row(2)])
    journal = tmp_path / JOURNAL
    journal.parent.mkdir(parents=True, exist_ok=True)
    journal.write_text(json.dumps([{
        "merged": "gossip/2026-03-02/part-compacted-0badf00d.parquet",
        "replaces": parts}]), encoding="utf-8")
    recover_compaction(tmp_path)
    assert list_parts(tmp_path) == parts
    assert not journal.exists()



def test_parts_in_the_layout_before_schema_2_move_to_the_current_one(tmp_path: Path) -> None:
    old = rows_to_table([make_row(1)]).drop_columns(["site", "date"])
    write_table_atomically(tmp_path, "site=gossip/date=2026-03-02/part-old.parquet", old)
    [current] = write_parts(tmp_path, [make_row(2, site="tv")])
    result = compact_dataset(tmp_path)
    parts = list_parts(tmp_path)
    assert current in parts
    [moved] = [p for p in parts if p != current]
    assert moved.startswith("gossip/2026-03-02/part-compacted-")
    assert not list(tmp_path.glob("site=*"))           # no Hive directory left behind
    table = pq.read_table(tmp_path / moved)
    assert table.schema.equals(arrow_schema())
    assert table.select(["title", "site", "date"]).to_pylist() == [
        {"title": "Story 1", "site": "gossip", "date": datetime(2026, 3, 2).date()}]
    assert (result.partitions, result.rows_before, result.rows_after) == (1, 2, 2)
