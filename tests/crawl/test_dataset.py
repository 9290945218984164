"""The dataset run: items in, parts out, committed with their own validators, in bounded
time; no Scrapy involved."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newscrawl.crawl.dataset import DatasetRun
from newscrawl.crawl.items import ArticleItem
from newscrawl.state import Validators
from newscrawl.storage.lock import DatasetLockedError
from newscrawl.storage.parquet import WrittenPart
from tests.rows import make_row


@pytest.fixture
def committed() -> list[WrittenPart]:
    return []


@pytest.fixture
def run(tmp_path: Path, committed: list[WrittenPart]) -> Iterator[DatasetRun]:
    dataset = DatasetRun(tmp_path / "data", "r1", flush_rows=3, flush_seconds=0.2,
                         on_commit=committed.append)
    dataset.open()
    yield dataset
    dataset.close()


def item(n: int, etag: str | None = None) -> ArticleItem:
    row = make_row(n, url=f"https://gossipwire.example/s/{n}")
    return ArticleItem(row, row["url"], Validators(etag=etag), via="sitemap")


def test_rows_are_committed_with_the_validators_their_item_carried(
        run: DatasetRun, committed: list[WrittenPart]) -> None:
    assert run.add(item(1, '"e1"')) == []
    assert run.add(item(2)) == []
    parts = run.add(item(3, '"e3"'))
    assert [len(p.rows) for p in parts] == [3] and committed == parts
    one, two, three = (run.state.known(make_row(n)["canonical_url"]) for n in (1, 2, 3))
    assert one is not None and one.etag == '"e1"'
    assert two is not None and two.etag is None
    assert three is not None and three.etag == '"e3"'
    # the fetched URL is remembered as the article's alias
    assert run.state.known("https://gossipwire.example/s/2") == two
    assert run.buffered == 0


def test_rows_are_committed_by_age_not_only_by_count(run: DatasetRun,
                                                     committed: list[WrittenPart]) -> None:
    run.add(item(1))
    assert run.flush_if_due() == []  # younger than flush_seconds
    time.sleep(0.25)
    [part] = run.flush_if_due()
    assert [r["id"] for r in part.rows] == [make_row(1)["id"]]
    assert pq.read_table(run.root / part.path).num_rows == 1
    assert run.flush_if_due() == []  # nothing buffered, nothing written


def test_close_commits_the_buffer_and_releases_the_lock(tmp_path: Path) -> None:
    run = DatasetRun(tmp_path / "data", "r1", flush_rows=100)
    run.open()
    run.add(item(1))
    run.close()
    run.close()  # twice is harmless
    again = DatasetRun(tmp_path / "data", "r2")
    again.open()  # the lock was released
    try:
        assert again.state.count() == 1
    finally:
        again.close()


def test_content_owner_sees_this_run_and_earlier_runs(run: DatasetRun) -> None:
    first = item(1)
    run.add(first)
    text_hash = first.record["content_hash"]
    assert run.content_owner(text_hash, "https://x.example/other/") == \
        first.record["canonical_url"]
    run.flush()
    run.accepted_hashes.clear()
    assert run.content_owner(text_hash, "https://x.example/other/") == \
        first.record["canonical_url"]


def test_a_locked_dataset_is_refused_with_the_holder_named(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = tmp_path / "data"
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sys, time; from pathlib import Path;"
                               "from newscrawl.storage.lock import WriterLock;"
                               f"WriterLock(Path({str(root)!r})).acquire();"
                               "print('locked', flush=True); time.sleep(30)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        run = DatasetRun(root, "r1")
        with pytest.raises(DatasetLockedError, match=str(holder.pid)):
            run.open()
        run.close()  # after a failed open: nothing to release, no error
    finally:
        holder.kill()
        holder.communicate()


def test_a_damaged_part_is_quarantined_and_its_articles_forgotten(tmp_path: Path) -> None:
    root = tmp_path / "data"
    first = DatasetRun(root, "r1", flush_rows=100)
    first.open()
    first.add(item(1))
    [damaged] = first.flush()
    first.add(item(2))
    [healthy] = first.flush()
    first.close()
    path = root / damaged.path
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # truncated by a bad disk

    again = DatasetRun(root, "r2")
    again.open()
    try:
        assert not path.exists()
        assert (root / "_quarantine" / damaged.path).exists()
        # its article is fetched again next time; the healthy part's article stays known
        assert again.state.known(make_row(1)["canonical_url"]) is None
        assert again.state.known(make_row(2)["canonical_url"]) is not None
        assert healthy.path in [str(p.relative_to(root)) for p in root.glob("*/*/*.parquet")]
    finally:
        again.close()


def _damage_table(db_path: Path, table: str) -> None:
    """Overwrite the root page of `table` with garbage, as a disk error would: the rest of
    the file, other tables included, stays as it was."""
    with sqlite3.connect(db_path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        root_page = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                               (table,)).fetchone()[0]
    db.close()
    with db_path.open("r+b") as f:
        f.seek((root_page - 1) * page_size)
        f.write(b"\xde\xad" * (page_size // 2))


def test_a_damaged_state_keeps_the_pending_links_it_still_gives_up(tmp_path: Path) -> None:
    # The parts rebuild what the state knows of articles; the links of stored stories that
    # were still to fetch are in the state alone, so they are read back from the damaged file.
    root = tmp_path / "data"
    first = DatasetRun(root, "r1")
    first.open()
    first.add(item(1))
    links = ["https://gossip.test/2026/05/a-linked-story/", "https://gossip.test/2026/05/b/"]
    first.state.add_pending("gossip", links)
    first.close()
    _damage_table(root / "_state" / "crawl.sqlite", "articles")
    again = DatasetRun(root, "r2")
    again.open()
    try:
        assert list((root / "_quarantine" / "_state").glob("crawl.sqlite*"))
        assert again.state.known(make_row(1)["canonical_url"]) is not None
        assert again.state.pending("gossip") == sorted(links)
    finally:
        again.close()


def test_a_corrupt_state_database_is_rebuilt_from_the_parts(tmp_path: Path) -> None:
    root = tmp_path / "data"
    first = DatasetRun(root, "r1")
    first.open()
    first.add(item(1))
    first.close()
    (root / "_state" / "crawl.sqlite").write_bytes(b"this is not a database" * 100)
    for companion in (root / "_state").glob("crawl.sqlite-*"):
        companion.unlink()
    again = DatasetRun(root, "r2")
    again.open()
    try:
        assert again.state.known(make_row(1)["canonical_url"]) is not None
        assert list((root / "_quarantine" / "_state").glob("crawl.sqlite*"))
    finally:
        again.close()
