"""--since: articles dated before it are skipped before fetching when the sitemap or feed
gives their date, and dropped after extraction when only the page does."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from tests.integration.crawling import read_rows, run_crawl

SINCE = datetime(2024, 5, 10, tzinfo=UTC)


def test_since_skips_old_articles_before_fetching(news_network, tmp_path: Path) -> None:
    out = tmp_path / "data"
    run = run_crawl(news_network.sites_file, out, "--since", SINCE.date().isoformat())
    assert run.returncode == 0, run.stderr[-3000:]
    rows = read_rows(out)
    published = [pd.Timestamp(r["published_at"]).to_pydatetime() for r in rows]
    assert published and all(p >= SINCE for p in published)
    expected_new = [a for a in news_network.expected.articles if a.published_at >= SINCE]
    assert len(rows) == len(expected_new)
    # The sitemap site's news sitemap dates every article: old ones are never requested.
    server = news_network.servers["sitemapsite"]
    old = [a for a in news_network.expected.sites["sitemapsite"].articles
           if a.published_at < SINCE]
    assert old
    for article in old:
        assert server.count(article.url.split(server.base_url, 1)[-1]) == 0, article.url
    skipped = run.report["sites"]["sitemapsite"]["skipped_by_reason"]
    assert skipped.get("older_than_since", 0) >= len(old)


def test_bad_since_is_one_clear_error(news_network, tmp_path: Path) -> None:
    run = run_crawl(news_network.sites_file, tmp_path / "data", "--since", "last tuesday")
    assert run.returncode == 2
    assert "--since 'last tuesday' is not a date" in run.stderr
