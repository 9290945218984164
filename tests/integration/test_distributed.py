"""Distributed mode: several worker processes share one real Redis and one dataset."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from newscrawl.urls import canonicalize_url
from tests.integration.crawling import crawl_command, read_rows


def _seed(network, out: Path, redis_url: str) -> None:  # type: ignore[no-untyped-def]
    proc = subprocess.run([sys.executable, "-m", "newscrawl.cli", "seed", "--sites",
                           str(network.sites_file), "--out", str(out), "--redis", redis_url],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def _workers(network, out: Path, redis_url: str, names: list[str]):  # type: ignore[no-untyped-def]
    return [subprocess.Popen(
        crawl_command(network.sites_file, out, "--redis", redis_url, "--idle-exit", "3",
                      "--worker", name, "-s", "NEWSCRAWL_EXTRACT_WORKERS=1"),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for name in names]


def _article_fetches(network) -> Counter[str]:  # type: ignore[no-untyped-def]
    """Successful GETs per article page URL (retries after a 500 do not count). A story's
    duplicate copy at another URL is a page of its own."""
    fetched: Counter[str] = Counter()
    for article in network.expected.articles:
        server = network.servers[article.site]
        for url in {*article.urls, *article.aliases}:
            path = url.split(server.base_url, 1)[-1]
            route = server.routes.get(path)
            if route is None or route.redirect is not None:
                continue
            count = server.count(path, method="GET")
            fetched[url] += count - min(count, route.fail_first)
    return fetched


def _assert_every_article_once(network, rows) -> None:  # type: ignore[no-untyped-def]
    matched = set()
    for article in network.expected.articles:
        urls = {canonicalize_url(u) for u in article.urls}
        found = [r for r in rows if r["canonical_url"] in urls]
        assert len(found) == 1, (article.url, len(found))
        matched.add(found[0]["id"])
    strays = [(r["url"], r["canonical_url"]) for r in rows if r["id"] not in matched]
    assert not strays, f"rows that are no expected article: {strays}"


def test_two_workers_share_the_crawl_without_double_fetching(news_network, redis_url,
                                                             tmp_path: Path):
    out = tmp_path / "shared"
    _seed(news_network, out, redis_url)
    procs = _workers(news_network, out, redis_url, ["alpha", "beta"])
    for proc in procs:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err[-3000:]
    rows = read_rows(out)
    _assert_every_article_once(news_network, rows)
    fetches = _article_fetches(news_network)
    twice = {u: n for u, n in fetches.items() if n > 1}
    assert not twice, f"pages fetched by more than one worker: {twice}"
    for article in news_network.expected.articles:
        assert sum(fetches[u] for u in {*article.urls, *article.aliases}) >= 1, article.url
    writers = {p.name.split("-")[-2] for p in out.glob("*/*/*.parquet")}
    assert writers <= {"alpha", "beta"} and writers


def test_killed_worker_loses_nothing_after_a_follow_up_run(news_network, redis_url,
                                                           tmp_path: Path):
    out = tmp_path / "shared"
    # Slow every article down so the kill lands mid-crawl.
    for server in news_network.servers.values():
        for path, route in server.routes.items():
            if route.status == 200 and path.count("/") >= 3:
                route.delay = 0.3
    _seed(news_network, out, redis_url)
    victim, survivor = _workers(news_network, out, redis_url, ["victim", "survivor"])
    # Kill once articles are being fetched: mid-crawl on a fast machine as on a slow one.
    deadline = time.monotonic() + 60
    while sum(_article_fetches(news_network).values()) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert victim.poll() is None, "the victim finished before it could be killed"
    victim.kill()
    victim.communicate(timeout=30)
    survivor.communicate(timeout=240)
    for server in news_network.servers.values():
        for route in server.routes.values():
            route.delay = 0.0
    # The follow-up run: a new seed, one worker.
    _seed(news_network, out, redis_url)
    [follow_up] = _workers(news_network, out, redis_url, ["followup"])
    _, err = follow_up.communicate(timeout=180)
    assert follow_up.returncode == 0, err[-3000:]
    _assert_every_article_once(news_network, read_rows(out))
