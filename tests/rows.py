"""Valid article records for storage and dedup tests (what the pipeline hands the writer)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from newscrawl.dedup.keys import content_hash
from newscrawl.record import validate_record
from newscrawl.urls import url_id

PUBLISHED = datetime(2026, 3, 2, 21, 30, tzinfo=UTC)
CRAWLED = datetime(2026, 3, 4, 8, 0, tzinfo=UTC)


def make_row(n: int = 1, **overrides: Any) -> dict[str, Any]:
    """Record number `n` of site 'gossip', published 2026-03-02; any field can be overridden.

    `id`, `content_hash` and `word_count` follow `canonical_url` and `text` unless given.
    """
    canonical = overrides.pop("canonical_url", f"https://gossipwire.example/2026/03/02/story-{n}/")
    text = overrides.pop("text", f"Story {n} opens here. " + "The star spoke to fans. " * 15)
    row: dict[str, Any] = {
        "id": url_id(canonical), "version": 1, "url": canonical, "canonical_url": canonical,
        "site": "gossip", "domain": "gossipwire.example", "title": f"Story {n}",
        "title_source": "jsonld", "description": None, "authors": ["Jane Doe"],
        "authors_source": "jsonld", "published_at": PUBLISHED, "published_at_source": "jsonld",
        "modified_at": None, "language": "en", "text": text, "word_count": len(text.split()),
        "tags": ["music"], "categories": [], "image_url": None, "page_kind": "article",
        "content_hash": content_hash(text), "duplicate_of": None, "discovered_via": "sitemap",
        "crawled_at": CRAWLED, "run_id": "20260304T080000Z-ab12",
        "extractor_version": "newscrawl 0.1.0; trafilatura 2.0.0",
    }
    row.update(overrides)
    problems = validate_record(row)
    assert not problems, problems
    return row
