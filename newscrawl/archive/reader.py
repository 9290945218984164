"""Reading WARC files, ours or anyone's: one page (or the reason it is not one) per record.

warcio does the format (WARC 1.0/1.1, gzip per record or none, chunked and compressed HTTP
payloads); this module turns its records into `WarcPage`s and names what it cannot use.
Real archives hold much that is not a page: request, metadata and warcinfo records, revisits
(a pointer to an earlier copy, no payload), redirects and errors, images and PDFs, records of
hundreds of megabytes, and a file cut short in transfer. Each becomes a `Skipped` reason.
"""

from __future__ import annotations

import http.client
import json
import logging
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newscrawl.discovery import Candidate
from newscrawl.discovery.dates import parse_machine_date
from newscrawl.extract import MAX_PAGE_BYTES

logger = logging.getLogger(__name__)

SITE_HEADER = "Newscrawl-Site"
HINT_HEADER = "Newscrawl-Hint"
HTML_TYPES = ("text/html", "application/xhtml+xml")

# Skip reasons (`newscrawl import` prints a count of each).
TRUNCATED = "truncated_file"
NOT_RESPONSE = "not_a_response"
REVISIT = "revisit"
NOT_HTML = "not_html"
TOO_LARGE = "too_large"
TRUNCATED_RECORD = "truncated_record"
UNREADABLE = "unreadable_payload"


class _Records(ArchiveIterator):
    """warcio's iterator, noting whether the data stopped inside a gzip member: warcio
    then ends quietly, as if the file were complete."""

    truncated = False

    def close(self) -> None:
        decompressor = getattr(self.reader, "decompressor", None)
        if decompressor is not None and not decompressor.eof:
            self.truncated = True
        super().close()


@dataclass(frozen=True)
class WarcPage:
    """An HTML response found in a WARC file: its payload decoded (chunking and
    Content-Encoding undone, charset untouched) and when it was fetched."""

    url: str
    body: bytes
    content_type: str | None
    fetched_at: datetime
    status: int
    site: str | None = None          # our own archives say which site fetched the page
    hint: Candidate | None = None    # and what discovery said about it
    source: str = ""
    offset: int = 0


@dataclass(frozen=True)
class Skipped:
    """A record that is not a usable page, and why (`reason`, e.g. 'revisit', 'http_404')."""

    reason: str
    url: str | None = None


def read_pages(stream: BinaryIO, *, source: str = "", max_bytes: int = MAX_PAGE_BYTES
               ) -> Iterator[WarcPage | Skipped]:
    """Every record of a WARC stream as a page or a skip; a file cut short ends with one
    `Skipped(TRUNCATED)` instead of an exception. Reads sequentially: works on an HTTP
    response stream as well as on a file."""
    records = _Records(stream, arc2warc=True)
    try:
        for record in records:
            yield _page_of(record, records, source, max_bytes)
    except (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError,
            http.client.HTTPException) as exc:
        logger.warning("%s: stopped reading at a damaged or truncated record (%s)", source,
                       exc)
        yield Skipped(TRUNCATED)
        return
    if records.truncated:
        # warcio ends quietly when the data stops inside a gzip member.
        logger.warning("%s: the file ends inside a record (truncated)", source)
        yield Skipped(TRUNCATED)


def _page_of(record: Any, records: ArchiveIterator, source: str, max_bytes: int
             ) -> WarcPage | Skipped:
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI")
    if record.rec_type == "revisit":
        return Skipped(REVISIT, url)
    if record.rec_type != "response" or record.http_headers is None or not url:
        return Skipped(NOT_RESPONSE, url)
    http = record.http_headers
    status = _status(http.get_statuscode())
    if status != 200:
        return Skipped(f"http_{status}", url)
    content_type = http.get_header("Content-Type")
    if content_type and content_type.split(";")[0].strip().lower() not in HTML_TYPES:
        return Skipped(NOT_HTML, url)
    declared = int(headers.get_header("Content-Length") or 0)
    if declared > max_bytes + (1 << 16):
        return Skipped(TOO_LARGE, url)
    try:
        body = record.content_stream().read(max_bytes + 1)
    except (zlib.error, OSError, ValueError, EOFError) as exc:
        logger.info("%s: %s: payload not readable (%s)", source, url, exc)
        return Skipped(UNREADABLE, url)
    if len(body) > max_bytes:
        return Skipped(TOO_LARGE, url)
    if record.raw_stream.limit > 0:
        # Declared longer than what the file holds: the file ends inside this record.
        return Skipped(TRUNCATED_RECORD, url)
    fetched = parse_warc_date(headers.get_header("WARC-Date")) or datetime.now(UTC)
    return WarcPage(url=url, body=body, content_type=content_type, fetched_at=fetched,
                    status=status, site=headers.get_header(SITE_HEADER),
                    hint=_hint(url, headers.get_header(HINT_HEADER)), source=source,
                    offset=records.get_record_offset())


def parse_warc_date(text: str | None) -> datetime | None:
    """A WARC-Date (W3C-ISO8601, UTC, with microseconds in WARC 1.1) as an aware datetime."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).astimezone(UTC)
    except ValueError:
        return parse_machine_date(text)


def _status(code: str | None) -> int:
    try:
        return int(code or 0)
    except ValueError:
        return 0


def _hint(url: str, text: str | None) -> Candidate | None:
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return Candidate(url=url, via=str(data.get("via") or "link"),
                     published_at=parse_warc_date(data.get("published_at")),
                     lastmod=parse_warc_date(data.get("lastmod")),
                     title=data.get("title"), authors=tuple(data.get("authors") or ()))


def hint_of(candidate: Candidate | None) -> dict[str, Any] | None:
    """What the archive keeps of a discovery candidate (the inverse of `_hint`)."""
    if candidate is None:
        return None
    hint: dict[str, Any] = {"via": candidate.via}
    if candidate.published_at:
        hint["published_at"] = candidate.published_at.isoformat()
    if candidate.lastmod:
        hint["lastmod"] = candidate.lastmod.isoformat()
    if candidate.title:
        hint["title"] = candidate.title
    if candidate.authors:
        hint["authors"] = list(candidate.authors)
    return hint


def read_page_at(path: Path, offset: int) -> WarcPage | Skipped:
    """The one record at `offset` of one of our WARC files (an index lookup)."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        for item in read_pages(handle, source=path.name):
            if isinstance(item, WarcPage):
                return WarcPage(**{**item.__dict__, "offset": offset})
            return item
    return Skipped(TRUNCATED)


def scan_responses(warc: Path) -> Iterator[dict[str, Any]]:
    """Index rows of the responses in one of our WARC files (a rebuild after a crash)."""
    from newscrawl.urls import canonicalize_url, url_id

    with open(warc, "rb") as handle:
        records = ArchiveIterator(handle)
        try:
            for record in records:
                headers = record.rec_headers
                site = headers.get_header(SITE_HEADER)
                if record.rec_type != "response" or site is None:
                    continue
                records.read_to_end(record)
                url = headers.get_header("WARC-Target-URI")
                http = record.http_headers
                yield {"url": url, "id": url_id(canonicalize_url(url)), "site": site,
                       "warc_file": warc.name, "offset": records.get_record_offset(),
                       "length": records.get_record_length(),
                       "digest": headers.get_header("WARC-Payload-Digest"),
                       "fetched_at": parse_warc_date(headers.get_header("WARC-Date")),
                       "status": _status(http.get_statuscode() if http else None),
                       "content_type": http.get_header("Content-Type") if http else None}
        except (ArchiveLoadFailed, zlib.error, EOFError) as exc:
            logger.warning("%s: index rebuilt up to a damaged record (%s)", warc, exc)
