"""`newscrawl import` over WARC files the tests write: what is kept, what is skipped and why,
and that importing again adds nothing."""

from __future__ import annotations

import gzip
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest

from newscrawl import load
from newscrawl.archive.ccnews import CCNewsError, list_month, paths_url
from newscrawl.archive.importer import InputError, expand_inputs, run_import
from newscrawl.archive.options import IngestOptions
from newscrawl.cli import main
from newscrawl.sites import load_sites
from newscrawl.urls import canonicalize_url
from tests.archive.warcs import OUR_BASE, sites_toml, write_mixed_warc, write_pages_warc

INLINE = IngestOptions(workers=0, flush_rows=3)


@pytest.fixture
def sites_file(tmp_path: Path) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(sites_toml(), encoding="utf-8")
    return path


def rows(out: Path) -> list[dict[str, object]]:
    table: pa.Table = load(out, drop_duplicates=False)
    return sorted(table.to_pylist(), key=lambda r: str(r["url"]))


def test_import_keeps_our_sites_pages_once_and_names_every_skip(
        tmp_path: Path, sites_file: Path) -> None:
    mixed = write_mixed_warc(tmp_path / "mixed.warc.gz")
    out = tmp_path / "data"
    counts = run_import([str(mixed.path)], load_sites(sites_file), out, INLINE)

    written = rows(out)
    assert sorted(r["canonical_url"] for r in written) == sorted(
        canonicalize_url(u) for u in mixed.expected_urls)
    assert all(r["discovered_via"] == "warc" and r["site"] == "marquee" for r in written)
    # The row says when the page was fetched (the WARC-Date), not when it was imported.
    assert all(r["crawled_at"].year == 2024 for r in written)
    assert counts.outcomes["written"] == len(mixed.expected_urls)
    skipped = {k: v for k, v in counts.outcomes.items()
               if k not in ("written", "truncated_record")}
    assert skipped == mixed.skips
    # The chunked+gzip page and the mis-declared windows-1252 page have real text.
    for row in written:
        assert row["word_count"] > 100, row["url"]


def test_importing_the_same_file_twice_adds_nothing(tmp_path: Path, sites_file: Path) -> None:
    warc = tmp_path / "pages.warc.gz"
    urls = write_pages_warc(warc, 12)
    out = tmp_path / "data"
    first = run_import([str(warc)], load_sites(sites_file), out, INLINE)
    assert first.outcomes["written"] == 12
    parts = sorted(out.glob("*/*/*.parquet"))

    second = run_import([str(warc)], load_sites(sites_file), out, INLINE)
    assert second.outcomes == {"known": 12}   # decided from the state, nothing extracted
    assert sorted(out.glob("*/*/*.parquet")) == parts
    assert sorted(r["url"] for r in rows(out)) == sorted(urls)


def test_a_site_entry_not_in_the_sites_file_keeps_nothing(tmp_path: Path) -> None:
    warc = tmp_path / "pages.warc.gz"
    write_pages_warc(warc, 3)
    other = tmp_path / "other.toml"
    other.write_text(sites_toml("http://unrelated.example.test", "other"), encoding="utf-8")
    counts = run_import([str(warc)], load_sites(other), tmp_path / "data", INLINE)
    assert counts.outcomes == {"not_in_sites_file": 3}


def test_inputs_globs_and_one_line_errors(tmp_path: Path, sites_file: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    for n in range(2):
        write_pages_warc(tmp_path / f"p{n}.warc.gz", 1)
    assert expand_inputs([str(tmp_path / "p*.warc.gz")]) == [
        str(tmp_path / "p0.warc.gz"), str(tmp_path / "p1.warc.gz")]
    with pytest.raises(InputError, match="no file matches"):
        expand_inputs([str(tmp_path / "q*.warc.gz")])
    code = main(["import", str(tmp_path / "missing.warc.gz"), "--sites", str(sites_file),
                 "--out", str(tmp_path / "data")])
    assert code == 2
    assert capsys.readouterr().err.strip().count("\n") == 0


# -- over HTTP, and CC-NEWS's path list --------------------------------------------------------


@pytest.fixture
def archive_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A local HTTP server standing in for Common Crawl's data host, serving `tmp_path/www`."""
    root = tmp_path / "www"
    root.mkdir()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", root
    finally:
        server.shutdown()
        server.server_close()


def test_cc_news_month_is_listed_from_its_path_list_and_imported_over_http(
        tmp_path: Path, sites_file: Path, archive_server: tuple[str, Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    base, www = archive_server
    month = www / "crawl-data" / "CC-NEWS" / "2024" / "03"
    month.mkdir(parents=True)
    names = []
    for n in range(2):
        name = f"crawl-data/CC-NEWS/2024/03/CC-NEWS-2024030{n}000000-0000{n}.warc.gz"
        write_pages_warc(www / name, 3 + n, first=10 * n)
        names.append(name)
    (month / "warc.paths.gz").write_bytes(gzip.compress(("\n".join(names) + "\n").encode()))

    assert paths_url("2024-03", base) == f"{base}crawl-data/CC-NEWS/2024/03/warc.paths.gz"
    assert list_month("2024-03", base) == [base + n for n in names]
    with pytest.raises(CCNewsError, match="YYYY-MM"):
        paths_url("2024-13")
    with pytest.raises(CCNewsError, match="cannot read"):
        list_month("2024-04", base)

    out = tmp_path / "data"
    assert main(["import", "--cc-news", "2024-03", "--cc-news-base", base, "--list",
                 "--sites", str(sites_file), "--out", str(out)]) == 0
    assert capsys.readouterr().out.split() == [base + n for n in names]
    assert main(["import", "--cc-news", "2024-03", "--cc-news-base", base,
                 "--sites", str(sites_file), "--out", str(out),
                 "-s", "NEWSCRAWL_EXTRACT_WORKERS=0"]) == 0
    assert "7 new articles" in capsys.readouterr().out
    assert len(rows(out)) == 7
    assert all(str(r["url"]).startswith(OUR_BASE) for r in rows(out))
