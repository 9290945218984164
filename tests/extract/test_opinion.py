"""trafilatura's metadata opinion, read without its categories/tags/licence searches, is the
opinion `trafilatura.extract_metadata` gives: on every golden page, field for field."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import trafilatura

from newscrawl.extract import parse_page
from newscrawl.extract.opinion import page_opinion, trafilatura_opinion, with_byline

GOLDEN = Path(__file__).parent / "golden"
FIELDS = ("title", "author", "date", "description", "language", "image", "url")


@pytest.mark.parametrize("page", sorted(GOLDEN.glob("*.html.gz")), ids=lambda p: p.name)
def test_the_opinion_equals_extract_metadata(page: Path) -> None:
    body = gzip.decompress(page.read_bytes())
    url = json.loads(page.with_name(page.name.removesuffix(".html.gz") + ".json")
                     .read_text(encoding="utf-8"))["url"]
    full, ours = parse_page(body), parse_page(body)
    assert full is not None and ours is not None
    expected = trafilatura.extract_metadata(full, url)
    got = trafilatura_opinion(ours, url)
    assert {f: getattr(got, f) for f in FIELDS} == {f: getattr(expected, f) for f in FIELDS}
    # without the byline search: the same but for an author only that search finds
    tree = parse_page(body)
    assert tree is not None
    stated = page_opinion(tree, url)
    others = [f for f in FIELDS if f != "author"]
    assert {f: getattr(stated, f) for f in others} == {f: getattr(expected, f) for f in others}
    assert stated.author in (None, expected.author)
    assert with_byline(tree, stated).author == expected.author


def test_the_opinion_is_not_empty_on_a_page_that_states_its_metadata() -> None:
    page = GOLDEN / "big_publisher_deal.html.gz"
    tree = parse_page(gzip.decompress(page.read_bytes()))
    assert tree is not None
    got = trafilatura_opinion(tree, "https://example.test/")
    assert got.title and got.date and got.author
