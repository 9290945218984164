"""newscrawl.record: the schema, validation and the dataset card all derive from FIELDS."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from newscrawl.record import (
    FIELD_NAMES,
    FIELDS,
    PARTITION_COLUMNS,
    SCHEMA_VERSION,
    arrow_schema,
    derive_fields,
    partition_date,
    validate_record,
)
from newscrawl.storage.card import card_dict, card_markdown, write_card

NOW = datetime(2026, 3, 4, 8, 0, tzinfo=UTC)


def valid_row() -> dict[str, Any]:
    return {
        "id": "c0a7dd2b5273f089", "version": 1,
        "url": "https://example.com/2026/03/02/star-wins-award/?utm_source=x",
        "canonical_url": "https://example.com/2026/03/02/star-wins-award/",
        "site": "example", "domain": "example.com", "title": "Star Wins Award",
        "title_source": "jsonld", "description": None, "authors": ["Jane Doe"],
        "authors_source": "jsonld", "published_at": datetime(2026, 3, 2, 21, 30, tzinfo=UTC),
        "published_at_source": "jsonld", "modified_at": None, "language": "en",
        "text": "The star won the award.\n\nThe crowd cheered.", "word_count": 8, "tags": [],
        "categories": ["Film"], "image_url": None, "page_kind": "article",
        "content_hash": "0123456789abcdef", "duplicate_of": None, "discovered_via": "sitemap",
        "crawled_at": NOW, "run_id": "20260304T080000Z-ab12",
        "extractor_version": "newscrawl 0.1.0",
    }


def test_field_names_are_unique_and_documented() -> None:
    assert len(set(FIELD_NAMES)) == len(FIELDS)
    assert all(f.doc.strip() for f in FIELDS)


def test_arrow_schema_derives_from_fields() -> None:
    schema = arrow_schema()
    assert schema.names == list(FIELD_NAMES)
    for f in FIELDS:
        column = schema.field(f.name)
        assert column.type == f.type, f.name
        assert column.nullable is f.nullable, f.name
    assert schema.metadata[b"newscrawl.schema_version"] == str(SCHEMA_VERSION).encode()


def test_partition_columns_are_stored_fields() -> None:
    # Stored in every file with their own types, so every reader gives the same columns.
    assert set(PARTITION_COLUMNS) <= set(FIELD_NAMES)
    assert arrow_schema().field("site").type == pa.string()
    assert arrow_schema().field("date").type == pa.date32()


def test_date_is_derived_from_publication_else_crawl_time() -> None:
    row = valid_row()
    assert partition_date(row) == date(2026, 3, 2)
    assert derive_fields(row)["date"] == date(2026, 3, 2)
    assert partition_date({**row, "published_at": None}) == date(2026, 3, 4)
    assert list(derive_fields(row)) == list(FIELD_NAMES)


def test_a_derived_field_is_checked_when_present() -> None:
    row = valid_row()
    assert validate_record({**row, "date": date(2026, 3, 2)}) == []
    assert validate_record({**row, "date": "2026-03-02"}) == [
        "date should be date, got str"]
    assert validate_record({**row, "date": NOW}) == ["date should be date, got datetime"]


def test_timestamps_are_utc_microseconds() -> None:
    schema = arrow_schema()
    for name in ("published_at", "modified_at", "crawled_at"):
        assert schema.field(name).type == pa.timestamp("us", tz="UTC")


def test_valid_row_has_no_problems() -> None:
    assert validate_record(valid_row()) == []


def test_nullable_fields_may_be_none_or_absent() -> None:
    row = valid_row()
    for f in FIELDS:
        if f.nullable:
            row[f.name] = None
    assert validate_record(row) == []
    for f in FIELDS:
        if f.nullable:
            del row[f.name]
    assert validate_record(row) == []


REQUIRED = [f.name for f in FIELDS if not f.nullable and not f.derived]


@pytest.mark.parametrize("name", REQUIRED)
def test_missing_required_field(name: str) -> None:
    row = valid_row()
    del row[name]
    assert validate_record(row) == [f"{name} is missing"]


@pytest.mark.parametrize("name", REQUIRED)
def test_null_in_required_field(name: str) -> None:
    row = valid_row()
    row[name] = None
    assert validate_record(row) == [f"{name} is missing"]


@pytest.mark.parametrize(("name", "value"), [
    ("version", "1"),
    ("version", 1.0),
    ("word_count", "8"),
    ("title", 42),
    ("authors", "Jane Doe"),
    ("tags", ("oscars",)),
    ("published_at", "2026-03-02T21:30:00Z"),
    ("crawled_at", 1772611200),
])
def test_wrong_type(name: str, value: object) -> None:
    row = valid_row()
    row[name] = value
    problems = validate_record(row)
    assert len(problems) == 1
    assert problems[0].startswith(f"{name} should be ")


def test_list_items_must_be_strings() -> None:
    row = valid_row()
    row["authors"] = ["Jane Doe", None]
    assert validate_record(row) == ["authors should hold only strings"]


@pytest.mark.parametrize("moment", [
    datetime(2026, 3, 2, 21, 30),                                        # naive
    datetime(2026, 3, 2, 16, 30, tzinfo=timezone(timedelta(hours=-5))),  # aware, not UTC
])
def test_datetimes_must_be_utc(moment: datetime) -> None:
    row = valid_row()
    row["published_at"] = moment
    assert validate_record(row) == ["published_at must be a UTC datetime"]


@pytest.mark.parametrize(("name", "value"), [("text", ""), ("text", " \n\t "), ("title", "  ")])
def test_empty_text_or_title(name: str, value: str) -> None:
    row = valid_row()
    row[name] = value
    assert validate_record(row) == [f"{name} is empty"]


def test_unknown_field() -> None:
    row = valid_row()
    row["body_html"] = "<p>x</p>"
    assert validate_record(row) == ["unknown fields: ['body_html']"]


def test_several_problems_are_all_reported() -> None:
    row = valid_row()
    del row["id"]
    row["word_count"] = "eight"
    row["text"] = ""
    assert sorted(validate_record(row)) == sorted(
        ["id is missing", "word_count should be int, got str", "text is empty"])


def test_card_json_lists_exactly_the_stored_fields() -> None:
    card = card_dict()
    columns = card["columns"]
    assert isinstance(columns, list)
    assert [c["name"] for c in columns] == list(FIELD_NAMES)
    for column, f in zip(columns, FIELDS, strict=True):
        assert column == {"name": f.name, "type": str(f.type), "nullable": f.nullable,
                          "doc": f.doc}
    assert set(card["partition_columns"]) == set(PARTITION_COLUMNS)  # type: ignore[arg-type]
    assert card["schema_version"] == SCHEMA_VERSION


def test_card_markdown_lists_every_column_once() -> None:
    rows = re.findall(r"^\| `([a-z_]+)` \|", card_markdown(), flags=re.MULTILINE)
    assert sorted(rows) == sorted(FIELD_NAMES)
    assert len(rows) == len(set(rows))


def test_card_matches_the_written_parquet_schema() -> None:
    card_columns = [c["name"] for c in card_dict()["columns"]]  # type: ignore[union-attr]
    assert card_columns == arrow_schema().names


def test_write_card_writes_both_files(tmp_path: Path) -> None:
    write_card(tmp_path / "ds")
    written = json.loads((tmp_path / "ds" / "_dataset_card.json").read_text(encoding="utf-8"))
    assert written == json.loads(json.dumps(card_dict()))
    assert (tmp_path / "ds" / "_dataset_card.md").read_text(encoding="utf-8") == card_markdown()
    assert sorted(p.name for p in (tmp_path / "ds").iterdir()) == [
        "_dataset_card.json", "_dataset_card.md"]


def _write_cards(root: str) -> int:
    for _ in range(40):
        write_card(Path(root))
    return 0


def test_concurrent_writers_each_replace_the_card_atomically(tmp_path: Path) -> None:
    # Distributed workers share one dataset directory and all refresh the card at start.
    root = tmp_path / "ds"
    with multiprocessing.get_context("fork").Pool(4) as pool:
        assert pool.map(_write_cards, [str(root)] * 4) == [0, 0, 0, 0]
    written = json.loads((root / "_dataset_card.json").read_text(encoding="utf-8"))
    assert written == json.loads(json.dumps(card_dict()))
    assert sorted(p.name for p in root.iterdir()) == ["_dataset_card.json", "_dataset_card.md"]


def test_the_card_is_readable_by_everyone_the_umask_allows(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        write_card(tmp_path / "ds")
    finally:
        os.umask(previous)
    for name in ("_dataset_card.json", "_dataset_card.md"):
        assert (tmp_path / "ds" / name).stat().st_mode & 0o777 == 0o644
