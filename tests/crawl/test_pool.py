"""The extraction pool contains failures: a page that hangs, crashes its worker or raises
gives a reason and is dropped; the pool replaces the worker and goes on."""

from __future__ import annotations

import asyncio
import time

import pytest

from newscrawl.crawl.pool import REASON_CRASH, REASON_ERROR, REASON_TIMEOUT, ExtractionPool
from newscrawl.demo.site import build_demo_routes
from newscrawl.extract import Extraction, SiteContext
from tests.pathological import extract as pathological

ROUTES = build_demo_routes("http://127.0.0.1:9")
ARTICLE = next(r.body for p, r in ROUTES.items()
               if p.startswith("/2024/") and b"NewsArticle" in r.body)


async def _run(extractor: ExtractionPool, urls: list[str]) -> list[Extraction]:
    return await asyncio.gather(*(
        extractor.extract(ARTICLE, url, content_type="text/html", hint=None,
                          site=SiteContext(key="demo"), run_id="t") for url in urls))


@pytest.mark.parametrize("workers", [1, 2])
def test_hang_crash_and_error_are_contained(workers: int) -> None:
    extractor = ExtractionPool(workers=workers, timeout=2.0, task=pathological)
    try:
        start = time.monotonic()
        results = asyncio.run(_run(extractor, [
            "http://127.0.0.1:9/2024/01/01/hang-page/",
            "http://127.0.0.1:9/2024/01/01/crash-page/",
            "http://127.0.0.1:9/2024/01/01/boom-page/",
            "http://127.0.0.1:9/2024/01/01/fine-page/",
        ]))
        elapsed = time.monotonic() - start
        reasons = [r.reason for r in results]
        assert reasons[0] == REASON_TIMEOUT
        assert reasons[1] == REASON_CRASH
        assert reasons[2] == f"{REASON_ERROR}:RuntimeError"
        assert results[3].record is not None and results[3].record["title"]
        assert elapsed < 30
        # The pool still works after losing workers to a hang and a crash.
        again = asyncio.run(_run(extractor, ["http://127.0.0.1:9/2024/01/02/fine-again/"] * 3))
        assert all(r.record is not None for r in again)
    finally:
        extractor.close()


def test_inline_mode_contains_errors_too() -> None:
    extractor = ExtractionPool(workers=0, timeout=2.0, task=pathological)
    [boom, fine] = asyncio.run(_run(extractor, ["http://127.0.0.1:9/2024/01/01/boom-x/",
                                                "http://127.0.0.1:9/2024/01/01/ok-x/"]))
    assert boom.reason == f"{REASON_ERROR}:RuntimeError"
    assert fine.record is not None


def warmth(body: bytes, url: str, *_: object) -> Extraction:
    """A stand-in task: dies on url "die", else reports in `reason` what its worker found
    already warm before any page (dateparser's parser, the MinHash tables) and its pid."""
    import os

    from htmldate.extractors import get_external_parser

    from newscrawl.dedup.signatures import _permutations

    if url == "die":
        os._exit(1)
    warm = get_external_parser.cache_info().currsize == 1 and \
        _permutations.cache_info().currsize == 1
    return Extraction(url, reason=f"{warm} {os.getpid()}")


def test_workers_start_warm_and_so_does_a_replacement() -> None:
    """The forkserver imported and warmed the extractor (crawl/preload.py) before forking:
    what the extractor builds on first use exists before a worker's first page, also in the
    worker that replaces one that died."""
    extractor = ExtractionPool(workers=1, timeout=5.0, task=warmth)
    try:
        extractor.warm_up()
        first, died, again = (asyncio.run(_run(extractor, [url]))[0]
                              for url in ("a", "die", "b"))
        assert first.reason is not None and first.reason.startswith("True ")
        assert died.reason == REASON_CRASH
        assert again.reason is not None and again.reason.startswith("True ")
        assert again.reason != first.reason  # another process
    finally:
        extractor.close()
