"""Golden pages: our extractor against hand-written expectations, field by field.

One test per (page, field), so a regression in dates does not hide behind one in titles.
The pages and their expected JSON live in tests/extract/golden/ (see its README).
"""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from newscrawl.extract import Extraction, SiteContext, extract_article

GOLDEN = Path(__file__).parent / "golden"
PAGES = sorted(p.name.removesuffix(".html.gz") for p in GOLDEN.glob("*.html.gz"))
FIELDS = ("title", "authors", "published_at", "modified_at", "language", "page_kind",
          "description", "image_url", "tags", "categories", "text")


def test_golden_set_is_not_empty() -> None:
    assert len(PAGES) >= 10


@cache
def golden(name: str) -> tuple[dict[str, Any], Extraction]:
    spec = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    body = gzip.decompress((GOLDEN / f"{name}.html.gz").read_bytes())
    # Every site entry of ours declares its language; page markup still wins over it.
    site = SiteContext(extra_boilerplate=tuple(spec.get("extra_boilerplate", [])),
                       language="en")
    return spec, extract_article(body, spec["url"], site=site)


def _utc(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC) \
        if value else None


def _collapse(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("name", PAGES)
def test_golden_field(name: str, field: str) -> None:
    spec, result = golden(name)
    expected = spec["expected"]
    if field == "page_kind":
        assert result.page_kind == expected["page_kind"]
        return
    if expected["page_kind"] in ("listing", "video") and result.record is None:
        # Listings and thin video pages never become records; nothing else to compare.
        assert result.reason, "a page without a record must say why"
        return
    assert result.record is not None, f"no record: {result.reason}"
    record = result.record
    if field in ("published_at", "modified_at"):
        assert record[field] == _utc(expected[field])
    elif field == "text":
        text = _collapse(record["text"])
        if expected.get("text_starts_with"):
            assert text.startswith(_collapse(expected["text_starts_with"])), text[:120]
        if expected.get("text_ends_with"):
            assert text.endswith(_collapse(expected["text_ends_with"])), text[-120:]
        missing = [s for s in expected["text_contains"] if _collapse(s) not in text]
        leaked = [s for s in expected["text_excludes"] if _collapse(s) in text]
        assert not missing, f"story text missing: {missing}"
        assert not leaked, f"boilerplate kept: {leaked}"
        assert "\n\n" in record["text"] or record["word_count"] < 80, "paragraphs lost"
    else:
        assert record[field] == expected[field]
