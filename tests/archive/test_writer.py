"""The archive writer: WARC 1.1 records a WARC reader accepts, rotation, the index, and what a
killed run leaves (never a torn file in `warc/`, never an index row without its file)."""

from __future__ import annotations

import gzip
import hashlib
import importlib
import zlib
from base64 import b32encode
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from newscrawl.archive.index import read_index
from newscrawl.archive.reader import Skipped, WarcPage, read_page_at, read_pages, scan_responses
from newscrawl.archive.writer import ArchivedPage, ArchiveWriter
from newscrawl.discovery import Candidate
from tests.archive.warcs import articles, page, unique

WHEN = datetime(2025, 2, 3, 4, 5, 6, 789000, tzinfo=UTC)


def archived(n: int) -> ArchivedPage:
    url, body = page(unique(articles()[n % 20], n))
    return ArchivedPage(
        url=url, status=200, body=body, fetched_at=WHEN + timedelta(seconds=n), site="marquee",
        request_headers=[("User-Agent", "newscrawl-test"), ("Accept", "text/html")],
        response_headers=[("Content-Type", "text/html; charset=utf-8"),
                          ("Content-Encoding", "gzip"), ("ETag", f'"v{n}"')],
        hint={"via": "sitemap", "title": f"Title {n}", "published_at": WHEN.isoformat()})


def visible_warcs(root: Path) -> list[Path]:
    return sorted((root / "_archive" / "warc").glob("*.warc.gz"))


def test_records_are_warc_1_1_request_response_pairs_with_digests(tmp_path: Path) -> None:
    writer = ArchiveWriter(tmp_path, "run-a")
    writer.open()
    pages = [archived(n) for n in range(3)]
    for p in pages:
        writer.write(p)
    writer.close()
    [warc] = visible_warcs(tmp_path)
    with open(warc, "rb") as handle:
        records = [(r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read())
                   for r in ArchiveIterator(handle)]
    assert [r[0] for r in records] == ["warcinfo"] + ["request", "response"] * 3
    for (_, req_headers, req_http, _), (_, headers, http, body), p in zip(
            records[1::2], records[2::2], pages, strict=True):
        assert headers.protocol == "WARC/1.1"
        assert headers.get_header("WARC-Target-URI") == p.url
        assert headers.get_header("WARC-Date") == p.fetched_at.strftime(
            "%Y-%m-%dT%H:%M:%S.%fZ")
        assert req_headers.get_header("WARC-Concurrent-To") == headers.get_header(
            "WARC-Record-ID")
        assert req_http.protocol == "GET" and req_http.get_header("User-Agent") == \
            "newscrawl-test"
        assert body == p.body
        digest = "sha1:" + b32encode(hashlib.sha1(p.body).digest()).decode()
        assert headers.get_header("WARC-Payload-Digest") == digest
        assert http.get_statuscode() == "200"
        assert http.get_header("ETag") == p.response_headers[2][1]
        # The body is stored decoded: the header that said otherwise is kept renamed.
        assert http.get_header("Content-Encoding") is None
        assert http.get_header("X-Archive-Orig-Content-Encoding") == "gzip"


def test_files_rotate_and_the_index_finds_each_page_without_scanning(tmp_path: Path) -> None:
    writer = ArchiveWriter(tmp_path, "run-b", max_bytes=12_000)
    writer.open()
    pages = [archived(n) for n in range(8)]
    for p in pages:
        writer.write(p)
    writer.close()
    warcs = visible_warcs(tmp_path)
    assert len(warcs) >= 3
    index = read_index(tmp_path).to_pylist()
    assert sorted(r["url"] for r in index) == sorted(p.url for p in pages)
    for row in index:
        found = read_page_at(tmp_path / "_archive" / "warc" / row["warc_file"], row["offset"])
        assert isinstance(found, WarcPage)
        assert found.url == row["url"] and found.site == "marquee"
        assert found.fetched_at == row["fetched_at"]
        assert found.hint == Candidate(url=found.url, via="sitemap", title=found.hint.title,
                                       published_at=WHEN)
    # The index written while crawling equals one rebuilt from the files alone.
    rebuilt = [row for warc in warcs for row in scan_responses(warc)]
    key = sorted(index, key=lambda r: (r["warc_file"], r["offset"]))
    assert [(r["url"], r["offset"], r["length"], r["digest"]) for r in key] == [
        (r["url"], r["offset"], r["length"], r["digest"]) for r in rebuilt]
    filtered = read_index(tmp_path, since=WHEN + timedelta(seconds=5), sites=["marquee"])
    assert filtered.num_rows == 3
    assert read_index(tmp_path, sites=["other"]).num_rows == 0
    # Readers globbing the dataset for *.parquet must not find the index.
    assert not list(tmp_path.rglob("*.parquet"))


def test_a_killed_runs_torn_file_is_finished_by_the_next_writer(tmp_path: Path) -> None:
    # A file renamed into place whose index part was never written (killed in between).
    other = ArchiveWriter(tmp_path, "run-d")
    other.open()
    other.write(archived(9))
    other.close()
    (tmp_path / "_archive" / "index" / "run-d-w0-00001.idx").unlink()

    writer = ArchiveWriter(tmp_path, "run-c")
    writer.open()  # indexes run-d's file
    assert read_index(tmp_path).column("url").to_pylist() == [archived(9).url]
    for n in range(5):
        writer.write(archived(n))
    # kill -9: the file stays in _tmp/, its last record half written.
    assert writer._file is not None
    writer._file.close()
    [partial] = list((tmp_path / "_archive" / "_tmp").glob("*.partial"))
    data = partial.read_bytes()
    partial.write_bytes(data[:len(data) - 700])
    assert len(visible_warcs(tmp_path)) == 1
    assert read_index(tmp_path).num_rows == 1

    salvaged = ArchiveWriter(tmp_path, "run-e").open()
    assert salvaged == 1
    assert not list((tmp_path / "_archive" / "_tmp").glob("*.partial"))
    index = read_index(tmp_path).to_pylist()
    # The four complete pages of the torn file, and the one of the other file.
    assert sorted(r["url"] for r in index) == sorted(
        [archived(n).url for n in range(4)] + [archived(9).url])
    for warc in visible_warcs(tmp_path):
        with open(warc, "rb") as handle:
            items = list(read_pages(handle))
        assert not [i for i in items if isinstance(i, Skipped) and "truncated" in i.reason]


def test_a_partial_file_with_no_complete_record_is_removed(tmp_path: Path) -> None:
    tmp = tmp_path / "_archive" / "_tmp"
    tmp.mkdir(parents=True)
    (tmp / "run-f-w0-00001.warc.gz.partial").write_bytes(b"\x1f\x8b\x08\x00garbage")
    assert ArchiveWriter(tmp_path, "run-g").open() == 0
    assert not list(tmp.iterdir())
    assert visible_warcs(tmp_path) == []


def test_distributed_workers_leave_each_others_partial_files_alone(tmp_path: Path) -> None:
    busy = ArchiveWriter(tmp_path, "run-h", worker="w1", own_only=True)
    busy.open()
    busy.write(archived(1))
    # Another worker starting now must not finish (or delete) w1's file.
    assert ArchiveWriter(tmp_path, "run-i", worker="w2", own_only=True).open() == 0
    assert len(list((tmp_path / "_archive" / "_tmp").glob("*.partial"))) == 1
    busy.close()
    assert read_index(tmp_path).num_rows == 1


def test_isal_and_zlib_fallback_write_gzip_members_any_reader_takes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ISA-L compresses the archive when installed, zlib otherwise: either way each record is
    a plain gzip member, and a file mixing both reads back page for page."""
    import newscrawl.archive.writer as writer_module

    assert writer_module._DEFLATE.__name__ == "isal.isal_zlib"  # a core dependency
    data = page(unique(articles()[0], 0))[1] * 3
    for module in (writer_module._DEFLATE, zlib):
        monkeypatch.setattr(writer_module, "_DEFLATE", module)
        member = writer_module.gzip_member(data)
        assert gzip.decompress(member) == data and member[:2] == b"\x1f\x8b"
        assert len(member) < len(data) / 3
    writer = ArchiveWriter(tmp_path, "run-mixed")
    writer.open()
    pages = [archived(n) for n in range(4)]
    for n, p in enumerate(pages):
        monkeypatch.setattr(writer_module, "_DEFLATE", zlib if n % 2 else
                            importlib.import_module("isal.isal_zlib"))
        writer.write(p)
    writer.close()
    [warc] = visible_warcs(tmp_path)
    with open(warc, "rb") as handle:
        read = [item for item in read_pages(handle, source=str(warc))
                if isinstance(item, WarcPage)]
    assert [(r.url, r.body) for r in read] == [(p.url, p.body) for p in pages]
