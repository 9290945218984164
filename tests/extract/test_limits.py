"""Short fields capped at sane lengths, once, as the record is built."""

from __future__ import annotations

from newscrawl.extract import extract_article
from newscrawl.extract.limits import MAX_CHARS, cap_fields, cap_text
from tests.extract.test_batch import URL

BODY = " ".join(f"The premiere drew a crowd of {n} fans to the square." for n in range(20))


def test_a_megabyte_title_and_a_thousand_authors_are_cut() -> None:
    title = "Headline " * 120_000
    authors = "".join(f'<meta name="author" content="Writer Number {n}">' for n in range(1000))
    page = (f"<html><head><title>{title}</title>{authors}"
            f'<meta name="keywords" content="{",".join(f"{n}" + "k" * 300 for n in range(500))}">'
            f'</head><body><article><h1>{title}</h1><p>{BODY}</p></article></body></html>')
    result = extract_article(page.encode(), URL)
    assert result.record is not None, result.reason
    record = result.record
    assert record["title"].startswith("Headline Headline")
    assert len(record["title"]) <= MAX_CHARS["title"] and record["title"].endswith("…")
    assert len(record["authors"]) <= 50
    assert len(record["tags"]) == 100 and all(len(tag) <= 200 for tag in record["tags"])
    assert "fans to the square" in record["text"]


def test_cap_fields_leaves_ordinary_records_alone_and_cuts_at_words() -> None:
    record = {"title": "Short title", "authors": ["Jane Doe"], "tags": [], "categories": ["TV"],
              "description": None, "image_url": "https://x.example/a.jpg", "language": "en"}
    assert cap_fields(dict(record)) == record
    long = {**record, "image_url": "https://x.example/" + "a" * 5000,
            "description": "word " * 1000}
    capped = cap_fields(long)
    assert capped["image_url"] is None
    assert len(capped["description"]) <= 2000 and capped["description"].endswith("word…")
    assert cap_text("x" * 600, 500) == "x" * 499 + "…"
