"""newscrawl.storage.health: damaged parts and state found, set aside, skipped by readers."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from newscrawl.cli import main
from newscrawl.state.sqlite import SqliteCrawlState
from newscrawl.storage.compact import compact_dataset
from newscrawl.storage.health import (
    QUARANTINE_DIR,
    STATE_DB,
    DamagedPartError,
    check_parts,
    check_state_db,
    heal_parts,
    quarantine,
    quarantine_state_db,
    readable_parts,
    urls_in_parts,
)
from newscrawl.storage.load import load
from newscrawl.storage.parquet import PartWriter, list_parts
from tests.rows import make_row


def write_part(root: Path, numbers: range, run_id: str) -> str:
    writer = PartWriter(root, run_id=run_id)
    for n in numbers:
        writer.add(make_row(n))
    [part] = writer.flush()
    return part.path


@pytest.fixture
def dataset(tmp_path: Path) -> dict[str, Any]:
    """Three parts of one partition: rows 1-3, 4-6, 7-9."""
    parts = [write_part(tmp_path, range(1 + 3 * i, 4 + 3 * i), f"run{i}") for i in range(3)]
    return {"root": tmp_path, "parts": parts}


def truncate(path: Path, keep: float = 0.5) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def hollow(path: Path) -> None:
    """Keep the head and the footer, drop the middle: the footer parses but points past EOF."""
    data = path.read_bytes()
    footer_len = int.from_bytes(data[-8:-4], "little") + 8
    path.write_bytes(data[:64] + data[-footer_len:])


def scramble_pages(path: Path) -> None:
    """Flip bytes inside a column's pages: the footer is fine, the rows cannot be decoded."""
    chunk = pq.read_metadata(path).row_group(0).column(0)
    data = bytearray(path.read_bytes())
    for i in range(chunk.data_page_offset, chunk.data_page_offset + 40):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def test_healthy_parts_pass_with_their_row_counts(dataset: dict[str, Any]) -> None:
    report = check_parts(dataset["root"])
    assert report.ok and report.healthy == dataset["parts"]
    assert report.rows == {p: 3 for p in dataset["parts"]}


@pytest.mark.parametrize(("damage", "reason"), [
    (truncate, "unreadable Parquet footer"),
    (lambda p: p.write_bytes(b""), "empty file (0 bytes)"),
    (hollow, "points past the end of the data"),
])
def test_damaged_parts_are_named_with_a_reason(dataset: dict[str, Any], damage: Any,
                                               reason: str) -> None:
    root, parts = dataset["root"], dataset["parts"]
    damage(root / parts[1])
    report = check_parts(root)
    assert report.healthy == [parts[0], parts[2]]
    [damaged] = report.damaged
    assert damaged.path == parts[1] and reason in damaged.reason


def test_quarantine_moves_the_part_under_the_same_relative_path(
        dataset: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    root, parts = dataset["root"], dataset["parts"]
    truncate(root / parts[0])
    caplog.set_level(logging.WARNING, "newscrawl.storage.health")
    target = quarantine(root, parts[0], "truncated")
    assert target == root / QUARANTINE_DIR / parts[0] and target.is_file()
    assert not (root / parts[0]).exists() and list_parts(root) == parts[1:]
    assert parts[0] in caplog.text and "truncated" in caplog.text
    # a second damaged file of the same name does not overwrite the first
    (root / parts[0]).write_bytes(b"junk")
    assert quarantine(root, parts[0]) == target.with_name(target.name + ".1")
    assert target.is_file()
    assert len(load(root)) == 6


def test_heal_moves_every_damaged_part_and_tells_what_it_held(dataset: dict[str, Any]) -> None:
    root, parts = dataset["root"], dataset["parts"]
    truncate(root / parts[2])
    report, moved = heal_parts(root)
    assert [d.path for d in report.damaged] == [parts[2]]
    [item] = moved
    assert item.path == parts[2] and item.moved_to.is_file() and item.canonical_urls is None
    assert list_parts(root) == parts[:2] and check_parts(root).ok
    # what the state must forget is what no healthy part holds
    urls = urls_in_parts(root, list_parts(root))
    assert urls == {make_row(n)["canonical_url"] for n in range(1, 7)}
    assert make_row(8)["canonical_url"] not in urls


def test_load_skips_a_damaged_part_with_a_warning_naming_it(
        dataset: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    root, parts = dataset["root"], dataset["parts"]
    truncate(root / parts[1])
    caplog.set_level(logging.WARNING, "newscrawl.storage.health")
    table = load(root)
    assert sorted(table["title"].to_pylist()) == sorted(f"Story {n}" for n in (1, 2, 3, 7, 8, 9))
    assert f"skipping damaged part file {root / parts[1]}" in caplog.text


def test_load_strict_fails_naming_the_part(dataset: dict[str, Any]) -> None:
    root, parts = dataset["root"], dataset["parts"]
    (root / parts[0]).write_bytes(b"")
    with pytest.raises(DamagedPartError, match=parts[0]):
        load(root, strict=True)


def test_load_of_only_damaged_parts_says_so(dataset: dict[str, Any]) -> None:
    root = dataset["root"]
    for part in dataset["parts"]:
        truncate(root / part)
    with pytest.raises(FileNotFoundError, match="no readable part files"):
        load(root)


def test_compact_skips_a_damaged_part_and_leaves_it_alone(dataset: dict[str, Any]) -> None:
    root, parts = dataset["root"], dataset["parts"]
    truncate(root / parts[1])
    damaged = (root / parts[1]).read_bytes()
    result = compact_dataset(root)
    assert result.parts_before == 2 and result.rows_after == 6
    assert (root / parts[1]).read_bytes() == damaged
    merged = [p for p in list_parts(root) if p != parts[1]]
    [merged_part] = merged
    titles = pq.read_table(root / merged_part, columns=["title"])["title"].to_pylist()
    assert sorted(titles) == sorted(f"Story {n}" for n in (1, 2, 3, 7, 8, 9))


def test_compact_skips_a_part_whose_pages_cannot_be_decoded(
        dataset: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    root, parts = dataset["root"], dataset["parts"]
    scramble_pages(root / parts[0])
    assert check_parts(root).ok   # the footer check cannot see it; reading the rows does
    caplog.set_level(logging.WARNING, "newscrawl.storage.health")
    with pytest.raises(DamagedPartError, match=parts[0]):
        compact_dataset(root, strict=True)
    assert list_parts(root) == parts
    result = compact_dataset(root)
    assert result.rows_after == 6 and f"damaged part file {root / parts[0]}" in caplog.text
    assert (root / parts[0]).is_file()


def test_compact_strict_fails_naming_the_part_and_changes_nothing(
        dataset: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    root, parts = dataset["root"], dataset["parts"]
    (root / parts[2]).write_bytes(b"")
    assert main(["compact", "--out", str(root), "--strict"]) == 1
    err = capsys.readouterr().err
    assert parts[2] in err and err.count("\n") == 1
    assert list_parts(root) == parts
    assert main(["compact", "--out", str(root)]) == 0
    assert len(list_parts(root)) == 2


def test_readable_parts_of_an_empty_dataset(tmp_path: Path) -> None:
    assert readable_parts(tmp_path, strict=True) == []


@pytest.mark.parametrize("damage", [
    lambda p: p.write_bytes(b"this is not a database at all" * 40),
    lambda p: truncate(p, 0.3),
])
def test_a_damaged_state_is_set_aside_and_rebuilt_from_the_parts(
        dataset: dict[str, Any], damage: Any) -> None:
    root = dataset["root"]
    state = SqliteCrawlState(root)
    assert state.reconcile() == 3
    state.close()
    assert check_state_db(root) is None and quarantine_state_db(root) is None
    damage(root / STATE_DB)
    reason = check_state_db(root)
    assert reason is not None and str(root / STATE_DB) in reason
    target = quarantine_state_db(root)
    assert target == root / QUARANTINE_DIR / STATE_DB and target.is_file()
    assert not (root / STATE_DB).exists()
    rebuilt = SqliteCrawlState(root)
    try:
        assert rebuilt.reconcile() == 3 and rebuilt.count() == 9
        assert rebuilt.known(make_row(5)["canonical_url"]) is not None
    finally:
        rebuilt.close()
    assert check_state_db(root) is None


def test_a_missing_state_is_fine(tmp_path: Path) -> None:
    assert check_state_db(tmp_path) is None and quarantine_state_db(tmp_path) is None
