"""`newscrawl extract`: records from saved pages, one JSON object per page.

A page that cannot be read or extracted gives a line with its URL and the reason; the batch
never stops on one bad page. The bounds are the crawl's: a page is read up to MAX_PAGE_BYTES
(decompressed, so a gzip bomb costs no memory), and extracted in a worker process that is
killed and replaced when a page takes longer than the time limit.
"""

from __future__ import annotations

import gzip
import json
import logging
import multiprocessing
import sys
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any, BinaryIO, TextIO

from pebble import ProcessExpired, ProcessPool

from newscrawl.crawl.forkserver import start_forkserver
from newscrawl.extract import MAX_PAGE_BYTES, REASON_TOO_LARGE, SiteContext, extract_article
from newscrawl.record import derive_fields

logger = logging.getLogger(__name__)

# The crawl's default (NEWSCRAWL_EXTRACT_TIMEOUT): no real page needs more than a second.
EXTRACT_TIMEOUT = 30.0
REASON_TIMEOUT = "extraction_timeout"
REASON_CRASH = "extraction_crashed"
_CHUNK = 64 * 1024
_GZIP_MAGIC = b"\x1f\x8b"


class PageTooLargeError(ValueError):
    """The page (decompressed) is larger than the cap."""


def read_page(path: Path, limit: int = MAX_PAGE_BYTES) -> bytes:
    """Bytes of a saved page; `.gz` files (or gzip bytes) are decompressed.

    Reads in bounded chunks and raises PageTooLargeError past `limit` bytes, so neither a
    huge file nor a small gzip bomb holds more than `limit` bytes in memory.
    """
    with open(path, "rb") as handle:
        gzipped = path.suffix == ".gz" or handle.read(2) == _GZIP_MAGIC
        handle.seek(0)
        if gzipped:
            return _read_capped(gzip.GzipFile(fileobj=handle), limit)
        return _read_capped(handle, limit)


def _read_capped(stream: gzip.GzipFile | BinaryIO, limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while chunk := stream.read(_CHUNK):
        total += len(chunk)
        if total > limit:
            raise PageTooLargeError(f"larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def extract_body(body: bytes, url: str, path: str,
                 boilerplate: tuple[str, ...] = ()) -> dict[str, Any]:
    """One output line from page bytes: the record, or {url, path, reason/error}."""
    try:
        result = extract_article(body, url, site=SiteContext(extra_boilerplate=boilerplate))
    except Exception as exc:  # noqa: BLE001 - one page must not end the batch
        return {"url": url, "path": path, "error": f"{type(exc).__name__}: {exc}"}
    if result.record is None:
        return {"url": url, "path": path, "reason": result.reason,
                "page_kind": result.page_kind}
    return derive_fields(result.record)


def load_body(path: Path, url: str) -> bytes | dict[str, Any]:
    """The page's bytes, or the output line saying why they cannot be had."""
    try:
        return read_page(path)
    except PageTooLargeError:
        return {"url": url, "path": str(path), "reason": REASON_TOO_LARGE}
    except OSError as exc:
        return {"url": url, "path": str(path),
                "error": f"cannot read page: {exc.strerror or exc}"}
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        return {"url": url, "path": str(path), "error": f"bad gzip file: {exc}"}
    except ValueError as exc:  # a path with a NUL byte
        return {"url": url, "path": str(path), "error": f"cannot read page: {exc}"}


class PageExtractor:
    """Extracts pages in one worker process with a per-page time limit (pebble kills and
    replaces a worker whose page runs over, as in the crawl); reading stays here, bounded.

    `task` is `extract_body` or a stand-in with its signature (the tests pass a slow one).
    """

    def __init__(self, timeout: float = EXTRACT_TIMEOUT,
                 task: Callable[..., dict[str, Any]] = extract_body) -> None:
        self.timeout = timeout
        self.task = task
        # The crawl pool's forkserver, which has imported and warmed the extractor once: a
        # replacement worker starts warm in milliseconds, without the parent's memory.
        context = multiprocessing.get_context("forkserver")
        start_forkserver()
        self._pool = ProcessPool(max_workers=1, context=context)

    def extract(self, path: Path, url: str, boilerplate: tuple[str, ...] = ()) -> dict[str, Any]:
        body = load_body(path, url)
        if isinstance(body, dict):
            return body
        future = self._pool.schedule(self.task, args=(body, url, str(path), boilerplate),
                                     timeout=self.timeout)
        try:
            return dict(future.result())
        except FutureTimeout:
            logger.warning("extraction of %s took longer than %ss; worker replaced", path,
                           self.timeout)
            return {"url": url, "path": str(path), "reason": REASON_TIMEOUT,
                    "error": f"extraction took longer than {self.timeout:g} s"}
        except ProcessExpired as exc:
            return {"url": url, "path": str(path), "reason": REASON_CRASH,
                    "error": f"extraction worker died (exit code {exc.exitcode})"}
        except Exception as exc:  # noqa: BLE001 - one page must not end the batch
            return {"url": url, "path": str(path), "error": f"{type(exc).__name__}: {exc}"}

    def close(self) -> None:
        self._pool.stop()
        self._pool.join(timeout=10)

    def __enter__(self) -> PageExtractor:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


@dataclass(frozen=True)
class InputLine:
    """One line of an --input list: its number, and the page or the problem with it."""

    number: int
    url: str | None = None
    path: str | None = None
    problem: str | None = None
    raw: str = ""


def read_input(source: IO[bytes]) -> Iterator[InputLine]:
    """The entries of a JSONL list, with a problem named for each line that is not a JSON
    object with string `url` and `path` in valid UTF-8. Never raises on content."""
    for number, data in enumerate(source, start=1):
        try:
            line = data.decode("utf-8").strip()
        except UnicodeDecodeError:
            yield InputLine(number, problem="not valid UTF-8",
                            raw=data.decode("utf-8", "replace").strip()[:200])
            continue
        if not line:
            continue
        try:
            entry = json.loads(line)
        except (ValueError, RecursionError):
            entry = None
        if not isinstance(entry, dict) or "path" not in entry or "url" not in entry:
            yield InputLine(number, problem="not a JSON object with url and path", raw=line[:200])
            continue
        problem = _field_problem(entry, "url") or _field_problem(entry, "path")
        if problem:
            yield InputLine(number, problem=problem, raw=line[:200])
            continue
        yield InputLine(number, url=entry["url"], path=entry["path"], raw=line[:200])


def _field_problem(entry: dict[str, Any], name: str) -> str | None:
    value = entry[name]
    if not isinstance(value, str) or not value.strip():
        return f"`{name}` must be a non-empty string, got {json.dumps(value)[:60]}"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate escaped in the JSON
        return f"`{name}` is not valid Unicode"
    return None


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def extract_files(page: str | None, url: str | None, input_path: str | None,
                  output: str | None, boilerplate: list[str],
                  timeout: float = EXTRACT_TIMEOUT) -> int:
    """CLI entry: one page (PAGE --url) or a JSONL list (--input). Returns the exit code."""
    if page and not url:
        print("newscrawl extract: --url is required with a page file", file=sys.stderr)
        return 2
    if not page and not input_path:
        print("newscrawl extract: give a page file with --url, or --input LIST.jsonl",
              file=sys.stderr)
        return 2
    try:
        source = open(input_path, "rb") if input_path and not page else None  # noqa: SIM115
        out: TextIO = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    except OSError as exc:
        print(f"newscrawl extract: cannot open {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
    selectors = tuple(boilerplate)
    try:
        with PageExtractor(timeout) as extractor:
            if page and url:
                record = extractor.extract(Path(page), url, selectors)
                out.write(json.dumps(record, default=_json_default, ensure_ascii=False,
                                     indent=2) + "\n")
                return 0 if "error" not in record else 1
            assert source is not None and input_path is not None
            base = Path(input_path).parent
            for entry in read_input(source):
                if entry.problem or entry.path is None or entry.url is None:
                    line = {"line": entry.number, "error": entry.problem, "input": entry.raw}
                else:
                    path = Path(entry.path)
                    line = extractor.extract(path if path.is_absolute() else base / path,
                                             entry.url, selectors)
                out.write(json.dumps(line, default=_json_default, ensure_ascii=False) + "\n")
        return 0
    finally:
        if source is not None:
            source.close()
        if output:
            out.close()
