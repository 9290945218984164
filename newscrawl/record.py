"""The article record: the one definition of a dataset row.

Every column is declared once below with its Arrow type and a sentence stating its format.
The pyarrow schema, the dataset card and validation all derive from `FIELDS`; a test fails
if any of them drift from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pyarrow as pa

# Bump on any change to FIELDS; it is written into every Parquet file and the dataset card.
# 2: `site` stored inside the files and `date` added (they were Hive path segments only).
SCHEMA_VERSION = 2

TIMESTAMP = pa.timestamp("us", tz="UTC")
STRINGS = pa.list_(pa.string())


@dataclass(frozen=True, slots=True)
class Field:
    """One dataset column: its name, Arrow type, whether it may be null, and its meaning.

    `derived`: the writer computes it from other fields (`derive_fields`), so a record handed
    to the writer may leave it out; validation checks it only when present."""

    name: str
    type: pa.DataType
    nullable: bool
    doc: str
    derived: bool = False


FIELDS: tuple[Field, ...] = (
    Field("id", pa.string(), False,
          "Stable identity: 16 hex chars of xxh3-64 over the canonical URL. Same article, same id,"
          " across runs and machines."),
    Field("version", pa.int32(), False,
          "1 for the first copy of an article; +1 each time a later run finds its text changed."
          " Read the highest version of an id (newscrawl.load(latest=True) does)."),
    Field("url", pa.string(), False, "The URL the page was fetched from, after redirects."),
    Field("canonical_url", pa.string(), False,
          "Canonicalised URL (the page's rel=canonical when it is on the same site, tracking"
          " parameters, fragments and AMP markers removed). `id` is derived from it."),
    Field("site", pa.string(), False, "The `key` of the site entry that discovered the page."),
    Field("date", pa.date32(), False,
          "UTC date of `published_at`, or of `crawled_at` when the page states none; the"
          " dataset's directories are <site>/<date>/.", derived=True),
    Field("domain", pa.string(), False, "Host name of `canonical_url`, without a leading www."),
    Field("title", pa.string(), False, "Headline, without the ' | Site Name' suffix."),
    Field("title_source", pa.string(), True,
          "Where the title came from: jsonld, h1, og, twitter, microdata, title_tag, feed,"
          " trafilatura, or url (made from the URL's slug when the page states no headline)."),
    Field("description", pa.string(), True, "Standfirst / meta description; null when absent."),
    Field("authors", STRINGS, False,
          "Person names, clean ('Jane Doe', no 'By', no job titles); empty list when the page"
          " names no author. When no person is named: the credit the page gives instead (a desk"
          " or an agency, 'Staff Writer', 'The Associated Press'), as written."),
    Field("authors_source", pa.string(), True,
          "Where the authors came from: jsonld, meta, byline (a byline, or links to author"
          " pages), microdata, feed, trafilatura, text (a credit line opening or closing the"
          " text, when the markup names no person); null when the list is empty."),
    Field("published_at", TIMESTAMP, True,
          "Publication time in UTC; null when no source on the page or feed states it."
          " A date-only source gives midnight UTC."),
    Field("published_at_source", pa.string(), True,
          "Where published_at came from: jsonld, meta, microdata, time_tag, sitemap, feed, url,"
          " text, trafilatura."),
    Field("modified_at", TIMESTAMP, True, "Last modification time in UTC; null when not stated."),
    Field("language", pa.string(), True, "ISO 639-1 code of the text (page markup or site hint)."),
    Field("text", pa.string(), False,
          "Main article text, paragraphs separated by a blank line, opening with the"
          " standfirst where the page shows its description as one; boilerplate, comments and"
          " navigation removed."),
    Field("word_count", pa.int32(), False,
          "Whitespace-separated words in `text`; each Han, kana or Hangul character counts as"
          " one word."),
    Field("tags", STRINGS, False, "Keywords / tags as the page declares them; may be empty."),
    Field("categories", STRINGS, False, "Sections / categories as declared; may be empty."),
    Field("image_url", pa.string(), True, "Lead image (og:image or JSON-LD image); absolute URL."),
    Field("page_kind", pa.string(), False,
          "article, liveblog, gallery or video. Any story becomes a record whatever its length"
          " (filter on `word_count`); a gallery or video page needs some written text (a"
          " sentence, captions). Listings, site pages, error pages and access walls never"
          " become records."),
    Field("content_hash", pa.string(), False,
          "16 hex chars of xxh3-64 over the normalised text (case-folded, punctuation and"
          " whitespace collapsed): equal hashes mean the same story text."),
    Field("duplicate_of", pa.string(), True,
          "Null for an original; for a near-duplicate (a syndicated copy), the `id` of the"
          " first copy seen."),
    Field("discovered_via", pa.string(), False,
          "How the crawl found the URL: sitemap, feed or link (a listing page); article_link"
          " for a story linked only from another story (related box, in-text link); warc for"
          " a page imported from someone else's WARC file (`newscrawl import`)."),
    Field("crawled_at", TIMESTAMP, False, "When the page was fetched, UTC."),
    Field("run_id", pa.string(), False,
          "Identifier of the crawl run that wrote the row (UTC start time + random suffix)."),
    Field("extractor_version", pa.string(), False,
          "newscrawl version + trafilatura version that produced the row."),
)

FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)

# The fields that name a part file's directory: <site>/<date>/part-....parquet. They are stored
# inside every file too, and the directory names carry no `name=` (Hive) marker: a reader that
# sees `site=x` in a path adds a column of its own choosing (pandas a category, pyarrow a
# string, polars and DuckDB a Date) and clashes with the stored one. Without the marker every
# reader gives the stored columns, with the stored types.
PARTITION_COLUMNS: tuple[str, ...] = ("site", "date")


def partition_date(row: dict[str, Any]) -> date:
    """The `date` of a record: UTC date of published_at, else of crawled_at."""
    moment: datetime = row.get("published_at") or row["crawled_at"]
    return moment.astimezone(UTC).date()


def derive_fields(row: dict[str, Any]) -> dict[str, Any]:
    """`row` as a complete record: every field of FIELDS in order, derived ones computed."""
    full = {name: row.get(name) for name in FIELD_NAMES}
    full["date"] = partition_date(row)
    return full


def arrow_schema() -> pa.Schema:
    """The Parquet schema of a part file: every field, plus the schema version as metadata."""
    fields = [pa.field(f.name, f.type, nullable=f.nullable) for f in FIELDS]
    return pa.schema(
        fields,
        metadata={b"newscrawl.schema_version": str(SCHEMA_VERSION).encode()},
    )


def validate_record(row: dict[str, Any]) -> list[str]:
    """Return the problems of one row against FIELDS (an empty list means valid).

    Checks presence, nullability and Python types; it does not judge content quality
    (that is the extractor's job).
    """
    problems: list[str] = []
    extra = set(row) - set(FIELD_NAMES)
    if extra:
        problems.append(f"unknown fields: {sorted(extra)}")
    for f in FIELDS:
        value = row.get(f.name)
        if value is None:
            if not f.nullable and not f.derived:
                problems.append(f"{f.name} is missing")
            continue
        expected = _python_type(f.type)
        if not isinstance(value, expected):
            problems.append(f"{f.name} should be {expected.__name__}, got {type(value).__name__}")
        elif isinstance(value, list) and not all(isinstance(v, str) for v in value):
            problems.append(f"{f.name} should hold only strings")
        elif isinstance(value, datetime) and value.utcoffset() != UTC.utcoffset(None):
            problems.append(f"{f.name} must be a UTC datetime")
        elif expected is date and isinstance(value, datetime):
            problems.append(f"{f.name} should be date, got datetime")
    if row.get("text") is not None and not str(row["text"]).strip():
        problems.append("text is empty")
    if row.get("title") is not None and not str(row["title"]).strip():
        problems.append("title is empty")
    return problems


def _python_type(t: pa.DataType) -> type:
    if pa.types.is_timestamp(t):
        return datetime
    if pa.types.is_date(t):
        return date
    if pa.types.is_integer(t):
        return int
    if pa.types.is_list(t):
        return list
    return str
