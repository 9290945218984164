"""`newscrawl import`: records from existing WARC files (local, globbed, or streamed over
HTTP) into a dataset, keeping only pages of the sites in a sites file.

Same canonicalisation, dedup and crawl state as a crawl (DatasetRun): importing a file twice
adds nothing, and a later crawl skips what an import wrote, its state knowing the URLs.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import glob
import logging
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from newscrawl.archive.ingest import Ingest, IngestCounts, Source, import_hint
from newscrawl.archive.options import IngestOptions
from newscrawl.archive.reader import Skipped, read_pages
from newscrawl.crawl.dataset import DatasetRun, new_run_id
from newscrawl.extract import SiteContext
from newscrawl.sites import Site
from newscrawl.urls import is_same_site

logger = logging.getLogger(__name__)

NOT_OUR_SITE = "not_in_sites_file"
UNREACHABLE = "source_unreachable"
HTTP_TIMEOUT = 60.0


class InputError(ValueError):
    """An input that names nothing (a glob without matches, a missing file)."""


def expand_inputs(specs: list[str]) -> list[str]:
    """Local paths (globs expanded, sorted) and http(s) URLs, in the order given."""
    inputs: list[str] = []
    for spec in specs:
        if urlsplit(spec).scheme in ("http", "https"):
            inputs.append(spec)
        elif glob.has_magic(spec):
            matches = sorted(glob.glob(spec))
            if not matches:
                raise InputError(f"{spec}: no file matches; check the pattern")
            inputs.extend(matches)
        elif not Path(spec).is_file():
            raise InputError(f"{spec}: no such WARC file")
        else:
            inputs.append(spec)
    return inputs


@contextlib.contextmanager
def open_input(spec: str) -> Iterator[BinaryIO]:
    """A local file, or an HTTP response read as a stream (never saved whole)."""
    if urlsplit(spec).scheme in ("http", "https"):
        request = urllib.request.Request(spec, headers={"User-Agent": "newscrawl-import"})
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
            yield response
    else:
        with open(spec, "rb") as handle:
            yield handle


class SiteMatcher:
    """The site a URL belongs to (its home host or a declared domain), cached per host."""

    def __init__(self, sites: list[Site]) -> None:
        self.sites = [(s, s.allowed_hosts) for s in sites]
        self.contexts = {s.key: SiteContext(s.key, s.name, s.language, s.extra_boilerplate,
                                            s.allowed_hosts) for s in sites}
        self._by_host: dict[str, Site | None] = {}

    def __call__(self, url: str) -> Site | None:
        host = urlsplit(url).netloc.lower()
        if host not in self._by_host:
            self._by_host[host] = next(
                (site for site, hosts in self.sites if is_same_site(url, hosts)), None)
        return self._by_host[host]


def import_sources(inputs: list[str], match: SiteMatcher,
                   on_file: Callable[[str], None] | None = None) -> Iterator[Source]:
    """Every record of every input as a `Source` (a page of one of our sites, or a skip)."""
    for spec in inputs:
        if on_file is not None:
            on_file(spec)
        try:
            with open_input(spec) as stream:
                for item in read_pages(stream, source=spec):
                    if isinstance(item, Skipped):
                        yield Source(None, skipped=item.reason)
                        continue
                    site = match(item.url)
                    if site is None:
                        yield Source(None, skipped=NOT_OUR_SITE)
                        continue
                    page = dataclasses.replace(item, hint=item.hint or import_hint(item))
                    yield Source(page, match.contexts[site.key])
        except OSError as exc:
            logger.error("%s: cannot read it (%s)", spec, exc)
            yield Source(None, skipped=UNREACHABLE)


def run_import(inputs: list[str], sites: list[Site], out: Path, options: IngestOptions,
               on_progress: Callable[[IngestCounts], None] | None = None,
               on_file: Callable[[str], None] | None = None) -> IngestCounts:
    """Import every input into the dataset at `out`; returns what happened to each record.
    Raises DatasetLockedError when another process writes the dataset."""
    run_id = new_run_id()
    dataset = DatasetRun(root=out, run_id=run_id, flush_rows=options.flush_rows,
                         flush_seconds=options.flush_seconds,
                         near_window_days=options.near_window_days)
    pool = options.pool()
    try:
        dataset.open()
        pool.warm_up()
        ingest = Ingest(dataset, pool, run_id, window=options.window,
                        drop_near=options.drop_near, on_progress=on_progress,
                        progress_seconds=options.progress_seconds)
        return asyncio.run(ingest.run(import_sources(inputs, SiteMatcher(sites), on_file)))
    finally:
        pool.close()
        dataset.close()
