"""`newscrawl extract` under hostile input: gzip bombs, slow pages, broken --input lines."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import time
import zlib
from pathlib import Path
from typing import Any

import pytest

from newscrawl.cli import main
from newscrawl.extract import MAX_PAGE_BYTES
from newscrawl.extract.batch import PageExtractor, PageTooLargeError, extract_body, read_page
from tests.extract.test_batch import PAGE, URL

BOMB_BYTES = 1024 * 1024 * 1024  # decompressed size of the bomb: 1 GiB


def slow_extract(body: bytes, url: str, *args: Any) -> dict[str, Any]:
    """A stand-in task for the worker: hangs on URLs with /hang- (a pathological page)."""
    if "/hang-" in url:
        time.sleep(600)
    return extract_body(body, url, *args)


def write_bomb(path: Path, size: int) -> None:
    """A gzip file of `size` bytes of HTML whitespace, written in chunks (~1 MB on disk)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)   # 31: gzip container
    zeros = b" " * (1024 * 1024)
    with open(path, "wb") as handle:
        handle.write(compressor.compress(b"<html><body><p>"))
        for _ in range(size // len(zeros)):
            handle.write(compressor.compress(zeros))
        handle.write(compressor.flush())


def test_read_page_stops_at_the_cap(tmp_path: Path) -> None:
    page = tmp_path / "big.html.gz"
    page.write_bytes(gzip.compress(b"x" * (MAX_PAGE_BYTES + 1)))
    with pytest.raises(PageTooLargeError):
        read_page(page)
    exact = tmp_path / "exact.html"   # no .gz suffix: found by its magic bytes
    exact.write_bytes(gzip.compress(b"y" * MAX_PAGE_BYTES))
    assert read_page(exact) == b"y" * MAX_PAGE_BYTES
    plain = tmp_path / "plain.html"
    plain.write_bytes(b"z" * (MAX_PAGE_BYTES + 1))
    with pytest.raises(PageTooLargeError):
        read_page(plain)


def test_gzip_bomb_through_the_real_command_stays_small(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.html.gz"
    write_bomb(bomb, BOMB_BYTES)
    assert bomb.stat().st_size < 4 * 1024 * 1024
    good = tmp_path / "good.html.gz"
    good.write_bytes(gzip.compress(PAGE.encode("utf-8")))
    listing = tmp_path / "list.jsonl"
    listing.write_text(json.dumps({"url": URL + "bomb", "path": "bomb.html.gz"}) + "\n"
                       + json.dumps({"url": URL, "path": "good.html.gz"}) + "\n",
                       encoding="utf-8")
    # A wrapper process whose only child is the command, so RUSAGE_CHILDREN is that child's.
    wrapper = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run([sys.argv[2], 'extract', '--input',"
        " sys.argv[1]], capture_output=True, text=True, timeout=120)\n"
        "print(done.returncode)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.stdout.write(done.stdout)\n"
        "sys.stderr.write(done.stderr)\n"
    )
    command = str(Path(sys.executable).parent / "newscrawl")
    done = subprocess.run([sys.executable, "-c", wrapper, str(listing), command],
                          capture_output=True, text=True, timeout=180)
    code, max_rss_kib, *lines = done.stdout.splitlines()
    print(f"newscrawl extract of a 1 GiB gzip bomb: max RSS {int(max_rss_kib) // 1024} MiB")
    assert code == "0", done.stderr
    bomb_line, good_line = (json.loads(line) for line in lines)
    assert bomb_line == {"url": URL + "bomb", "path": str(bomb), "reason": "too_large"}
    assert good_line["title"] == "Marlowe Quinn Joins Cast of ‘The Lantern Keepers’"
    # The bomb decompresses to 1 GiB; the command stays within a few page caps of memory.
    assert int(max_rss_kib) * 1024 < BOMB_BYTES / 4


def test_a_page_over_the_time_limit_is_a_reason_and_the_batch_goes_on(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    with PageExtractor(timeout=2.0, task=slow_extract) as extractor:
        hung = extractor.extract(page, "https://silverscreen.example/hang-forever/")
        after = extractor.extract(page, URL)
    assert hung == {"url": "https://silverscreen.example/hang-forever/", "path": str(page),
                    "reason": "extraction_timeout", "error": "extraction took longer than 2 s"}
    assert after["title"] == "Marlowe Quinn Joins Cast of ‘The Lantern Keepers’"


def test_broken_input_lines_are_named_and_the_batch_goes_on(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "quinn.html").write_text(PAGE, encoding="utf-8")
    good = json.dumps({"url": URL, "path": "quinn.html"}).encode()
    listing = tmp_path / "list.jsonl"
    listing.write_bytes(b"\n".join([
        json.dumps({"url": URL, "path": 42}).encode(),
        b'{"url": "' + URL.encode() + b'", "path": "caf\xe9.html"}',
        json.dumps({"url": None, "path": "quinn.html"}).encode(),
        b'{"url": "\\ud800", "path": "quinn.html"}',
        json.dumps({"url": URL, "path": "nul\x00.html"}).encode(),
        b"[" * 100_000,
        good,
    ]) + b"\n")
    assert main(["extract", "--input", str(listing)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line.get("line") for line in lines] == [1, 2, 3, 4, None, 6, None]
    assert lines[0]["error"] == "`path` must be a non-empty string, got 42"
    assert lines[1]["error"] == "not valid UTF-8"
    assert lines[2]["error"] == "`url` must be a non-empty string, got null"
    assert lines[3]["error"] == "`url` is not valid Unicode"
    assert lines[4]["error"].startswith("cannot read page")
    assert lines[5]["error"] == "not a JSON object with url and path"
    assert lines[6]["title"] == "Marlowe Quinn Joins Cast of ‘The Lantern Keepers’"


def test_a_missing_input_list_is_one_line(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--input", str(tmp_path / "nope.jsonl")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope.jsonl" in err
