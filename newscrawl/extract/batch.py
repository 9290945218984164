"""`newscrawl extract`: records from saved pages, one JSON object per page.

A page that cannot be read or extracted gives a line with its URL and the reason; the batch
never stops on one bad page.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from newscrawl.extract import SiteContext, extract_article
from newscrawl.record import derive_fields


def read_page(path: Path) -> bytes:
    """Bytes of a saved page; `.gz` files are decompressed."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" or data[:2] == b"\x1f\x8b" else data


def extract_file(path: Path, url: str, boilerplate: tuple[str, ...] = ()) -> dict[str, Any]:
    """One output line: the record plus page_kind and provenance, or {url, error/reason}."""
    try:
        body = read_page(path)
    except OSError as exc:
        return {"url": url, "path": str(path), "error": f"cannot read page: {exc.strerror}"}
    except (gzip.BadGzipFile, EOFError) as exc:
        return {"url": url, "path": str(path), "error": f"bad gzip file: {exc}"}
    try:
        result = extract_article(body, url, site=SiteContext(extra_boilerplate=boilerplate))
    except Exception as exc:  # noqa: BLE001 - one page must not end the batch
        return {"url": url, "path": str(path), "error": f"{type(exc).__name__}: {exc}"}
    if result.record is None:
        return {"url": url, "path": str(path), "reason": result.reason,
                "page_kind": result.page_kind}
    return derive_fields(result.record)


def _lines(source: TextIO) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            yield number, None, line.strip()
            continue
        yield number, entry if isinstance(entry, dict) else None, line.strip()


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def extract_files(page: str | None, url: str | None, input_path: str | None,
                  output: str | None, boilerplate: list[str]) -> int:
    """CLI entry: one page (PAGE --url) or a JSONL list (--input). Returns the exit code."""
    out = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    selectors = tuple(boilerplate)
    try:
        if page:
            if not url:
                print("newscrawl extract: --url is required with a page file", file=sys.stderr)
                return 2
            record = extract_file(Path(page), url, selectors)
            out.write(json.dumps(record, default=_json_default, ensure_ascii=False,
                                 indent=2) + "\n")
            return 0 if "error" not in record else 1
        if not input_path:
            print("newscrawl extract: give a page file with --url, or --input LIST.jsonl",
                  file=sys.stderr)
            return 2
        base = Path(input_path).parent
        with open(input_path, encoding="utf-8") as source:
            for number, entry, raw in _lines(source):
                if entry is None or "path" not in entry or "url" not in entry:
                    line = {"line": number, "error": "not a JSON object with url and path",
                            "input": raw[:200]}
                else:
                    path = Path(entry["path"])
                    line = extract_file(path if path.is_absolute() else base / path,
                                        str(entry["url"]), selectors)
                out.write(json.dumps(line, default=_json_default, ensure_ascii=False) + "\n")
        return 0
    finally:
        if output:
            out.close()
