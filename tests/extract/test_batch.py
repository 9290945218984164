"""`newscrawl extract`: records from saved pages, one JSON object per page, in input order."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from newscrawl.cli import main
from newscrawl.record import FIELD_NAMES

URL = "https://silverscreen.example/2026/03/02/marlowe-quinn-lantern-keepers/"

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Marlowe Quinn Joins Cast of ‘The Lantern Keepers’ | Silver Screen Daily</title>
<meta property="og:site_name" content="Silver Screen Daily">
<meta property="og:type" content="article">
<meta name="description"
      content="The stage star takes her first film lead in Harbourlight's fantasy drama.">
<link rel="canonical" href="https://silverscreen.example/2026/03/02/marlowe-quinn-lantern-keepers/">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Marlowe Quinn Joins Cast of ‘The Lantern Keepers’",
 "datePublished": "2026-03-02T21:30:00-05:00",
 "author": {"@type": "Person", "name": "Jane Doe"},
 "publisher": {"@type": "Organization", "name": "Silver Screen Daily"},
 "keywords": "Marlowe Quinn, The Lantern Keepers"}</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/film/">Film</a> <a href="/tv/">TV</a></nav></header>
<main><article>
<h1>Marlowe Quinn Joins Cast of ‘The Lantern Keepers’</h1>
<p class="byline">By Jane Doe</p>
<p>Marlowe Quinn has signed on to star in The Lantern Keepers, the fantasy drama that
Harbourlight Pictures will begin shooting in Glasgow this spring, the studio announced on
Monday evening.</p>
<p>Quinn will play Edda Voss, a lighthouse keeper who discovers that the lamps along a remote
northern coast keep more than ships away. The role marks the actor’s first lead in a feature
since the award-winning stage run of Salt and Iron two seasons ago.</p>
<p>Director Tomas Ferrante, who co-wrote the screenplay with novelist Priya Aldana, said the
production had searched for months before Quinn read for the part. “She walked into the room
and the lighthouse was suddenly real,” Ferrante said in a statement.</p>
<p>The Lantern Keepers is scheduled for release next year. Harbourlight has not yet announced
the rest of the ensemble cast.</p>
</article></main>
<footer><p>© 2026 Silver Screen Daily. All rights reserved.</p></footer>
</body></html>
"""

PROVENANCE = ("discovered_via", "crawled_at", "run_id", "extractor_version")


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    (tmp_path / "quinn.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "quinn.html.gz").write_bytes(gzip.compress(PAGE.encode("utf-8")))
    (tmp_path / "press-kit.html").write_bytes(
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    return tmp_path


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["extract", *argv])
    return code, capsys.readouterr().out


def check_record(record: dict[str, Any], url: str) -> None:
    assert set(record) == set(FIELD_NAMES)
    assert record["url"] == url
    assert record["canonical_url"] == URL
    assert record["title"] == "Marlowe Quinn Joins Cast of ‘The Lantern Keepers’"
    assert record["authors"] == ["Jane Doe"]
    assert record["published_at"] == "2026-03-03T02:30:00Z"
    assert record["page_kind"] == "article"
    assert record["domain"] == "silverscreen.example"
    assert record["text"].startswith("Marlowe Quinn has signed on")   # not the headline
    assert "Edda Voss, a lighthouse keeper" in record["text"]
    assert "All rights reserved" not in record["text"]
    assert record["word_count"] == len(record["text"].split())
    assert record["discovered_via"] == "link"
    assert record["crawled_at"].endswith("Z")
    assert record["extractor_version"].startswith("newscrawl ")
    assert all(name in record for name in PROVENANCE)


@pytest.mark.parametrize("name", ["quinn.html", "quinn.html.gz"])
def test_single_page(pages: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run([str(pages / name), "--url", URL + "?utm_source=newsletter"], capsys)
    assert code == 0
    check_record(json.loads(out), URL + "?utm_source=newsletter")


def test_single_page_needs_url(pages: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(pages / "quinn.html")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "--url" in captured.err


def test_single_missing_page_is_an_error(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run([str(tmp_path / "gone.html"), "--url", URL], capsys)
    assert code == 1
    line = json.loads(out)
    assert line["url"] == URL
    assert line["error"].startswith("cannot read page")


def test_input_list(pages: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entries = [
        json.dumps({"url": URL, "path": "quinn.html"}),
        json.dumps({"url": "https://silverscreen.example/gone/", "path": "gone.html"}),
        "this line is not JSON",
        json.dumps({"url": "https://silverscreen.example/press-kit/", "path": "press-kit.html"}),
        json.dumps({"url": URL + "?amp=1", "path": str(pages / "quinn.html.gz")}),  # absolute
    ]
    listing = pages / "pages.jsonl"
    listing.write_text("\n".join(entries) + "\n", encoding="utf-8")
    code, out = run(["--input", str(listing)], capsys)
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == len(entries)
    good, missing, garbage, pdf, gzipped = lines
    check_record(good, URL)
    check_record(gzipped, URL + "?amp=1")
    assert missing["url"] == "https://silverscreen.example/gone/"
    assert missing["error"].startswith("cannot read page")
    assert garbage == {"line": 3, "error": "not a JSON object with url and path",
                       "input": "this line is not JSON"}
    assert pdf["url"] == "https://silverscreen.example/press-kit/"
    assert pdf["reason"] == "not_html"
    assert "title" not in pdf


def test_output_file(pages: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listing = pages / "pages.jsonl"
    listing.write_text(json.dumps({"url": URL, "path": "quinn.html"}) + "\n", encoding="utf-8")
    out_file = pages / "records.jsonl"
    code, out = run(["--input", str(listing), "--output", str(out_file)], capsys)
    assert (code, out) == (0, "")
    [line] = out_file.read_text(encoding="utf-8").splitlines()
    check_record(json.loads(line), URL)
