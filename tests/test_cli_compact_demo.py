"""`newscrawl compact` and `newscrawl demo` refuse bad output directories in one line."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from newscrawl.storage.card import write_card
from newscrawl.storage.parquet import PartWriter, list_parts
from tests.rows import make_row


def newscrawl_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "newscrawl.cli", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd)


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    root = tmp_path / "news"
    writer = PartWriter(root, run_id="r1")
    writer.add(make_row(1))
    writer.flush()
    writer.add(make_row(2))
    writer.flush()
    write_card(root)
    return root


@pytest.fixture
def locked(dataset: Path) -> Iterator[Path]:
    """The dataset while another process (a crawl) holds its writer lock."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import time; from newscrawl.storage.lock import WriterLock;"
         f"WriterLock({str(dataset)!r}).acquire(); print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield dataset
    finally:
        holder.kill()
        holder.communicate()


@pytest.mark.parametrize("form", [["DIR"], ["--out", "DIR"], ["DIR", "--out", "DIR"]])
def test_compact_a_dataset(dataset: Path, form: list[str]) -> None:
    proc = newscrawl_cli("compact", *(str(dataset) if a == "DIR" else a for a in form))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("compacted 1 partition(s): 2 -> 1 part files, 2 -> 2 rows")
    assert len(list_parts(dataset)) == 1


def test_compact_without_a_directory_does_not_pick_one(tmp_path: Path) -> None:
    (tmp_path / "datasets" / "news").mkdir(parents=True)
    proc = newscrawl_cli("compact", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("newscrawl: compact: give the dataset directory "
                                   "(newscrawl compact DIR)")
    assert list((tmp_path / "datasets" / "news").iterdir()) == []


def test_compact_two_different_directories(dataset: Path, tmp_path: Path) -> None:
    proc = newscrawl_cli("compact", str(dataset), "--out", str(tmp_path / "other"))
    assert proc.returncode == 2
    assert proc.stderr.strip().endswith("differ; give one")


def test_compact_a_mistyped_path_creates_nothing(tmp_path: Path) -> None:
    typo = tmp_path / "nwes"
    proc = newscrawl_cli("compact", str(typo))
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"newscrawl: compact: {typo} does not exist"
    assert not typo.exists()


def test_compact_a_directory_that_is_no_dataset(tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    proc = newscrawl_cli("compact", str(tmp_path / "photos"))
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"newscrawl: compact: {tmp_path / 'photos'} is not a "
                                   "newscrawl dataset (no part files, dataset card or run "
                                   "reports)")
    assert list((tmp_path / "photos").iterdir()) == []


def test_compact_out_naming_a_file(tmp_path: Path) -> None:
    target = tmp_path / "news.parquet"
    target.write_bytes(b"PAR1")
    proc = newscrawl_cli("compact", "--out", str(target))
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"newscrawl: compact: {target} is a file, not a dataset "
                                   "directory")
    assert target.read_bytes() == b"PAR1"


def test_compact_a_dataset_a_crawl_is_writing(locked: Path) -> None:
    proc = newscrawl_cli("compact", str(locked))
    assert proc.returncode == 3
    [line] = proc.stderr.strip().splitlines()
    assert line.startswith(f"newscrawl: compact: {locked} is being written by another "
                           "newscrawl process (pid ")
    assert len(list_parts(locked)) == 2


def test_demo_into_a_locked_dataset(locked: Path) -> None:
    proc = newscrawl_cli("demo", "--out", str(locked))
    assert proc.returncode == 3
    [line] = proc.stderr.strip().splitlines()
    assert line.startswith(f"newscrawl: demo: {locked} is being written by another ")
    assert proc.stdout == ""
    assert len(list_parts(locked)) == 2


def test_demo_into_an_unwritable_directory(tmp_path: Path) -> None:
    # Under a regular file: nothing can be created there, not even by root (tests may run
    # as root, for whom permission bits do not stop a write).
    (tmp_path / "file").write_text("x", encoding="utf-8")
    out = tmp_path / "file" / "demo"
    proc = newscrawl_cli("demo", "--out", str(out))
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"newscrawl: demo: cannot write the dataset at {out}: "
                                   "Not a directory; choose another --out")
    assert proc.stdout == ""
