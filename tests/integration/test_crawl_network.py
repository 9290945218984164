"""End to end: crawl the local news network, read the Parquet back, check every record."""

from __future__ import annotations

import sqlite3
from datetime import UTC
from pathlib import Path

import pandas as pd

from newscrawl.urls import canonicalize_url
from tests.integration.crawling import read_rows, run_crawl
from tests.network.plan import LINK_SITE_HIDDEN


def _by_expected(network, rows):  # type: ignore[no-untyped-def]
    """Map each expected article to the rows that carry one of its URLs."""
    matches = {}
    for article in network.expected.articles:
        urls = {canonicalize_url(u) for u in article.urls}
        matches[article.url] = [r for r in rows if r["canonical_url"] in urls]
    return matches


def test_crawl_writes_every_article_once_with_correct_fields(news_network, tmp_path: Path):
    out = tmp_path / "data"
    run = run_crawl(news_network.sites_file, out)
    assert run.returncode == 0, run.stderr[-3000:]
    rows = read_rows(out)
    matches = _by_expected(news_network, rows)

    missing = [url for url, found in matches.items() if not found]
    doubled = [url for url, found in matches.items() if len(found) > 1]
    assert not missing, f"articles not in the dataset: {missing}"
    assert not doubled, f"articles written more than once: {doubled}"
    matched_ids = {r["id"] for found in matches.values() for r in found}
    strays = [r["url"] for r in rows if r["id"] not in matched_ids]
    assert not strays, f"records that are not expected articles: {strays}"

    problems = []
    for article in news_network.expected.articles:
        row = matches[article.url][0]
        published = pd.Timestamp(row["published_at"]).to_pydatetime().astimezone(UTC)
        checks = {
            "title": (row["title"], article.title),
            "published_at": (published, article.published_at),
            "authors": (list(row["authors"]), list(article.authors)),
            "site": (row["site"], article.site),
        }
        for name, (got, want) in checks.items():
            if got != want:
                problems.append(f"{article.url} {name}: got {got!r}, want {want!r}")
        for snippet in article.text_snippets:
            if snippet not in row["text"]:
                problems.append(f"{article.url} text lacks {snippet!r}")
        for snippet in article.not_in_text:
            if snippet in row["text"]:
                problems.append(f"{article.url} text holds boilerplate {snippet!r}")
    assert not problems, "\n".join(problems)
    # The story linked only from another story's related box, on a site with no sitemap
    # and no feed, was found by following links from stories, and counted as such.
    hidden = news_network.expected.article("linksite", LINK_SITE_HIDDEN)
    assert matches[hidden.url][0]["discovered_via"] == "article_link"
    assert run.report["sites"]["linksite"]["discovery"]["found_via_article_links"] >= 1


def test_crawl_respects_robots_and_counts_non_articles(news_network, tmp_path: Path):
    out = tmp_path / "data"
    run = run_crawl(news_network.sites_file, out)
    assert run.returncode == 0, run.stderr[-3000:]
    for key, server in news_network.servers.items():
        for url in news_network.expected.sites[key].never_fetch:
            path = url.split(server.base_url, 1)[-1]
            assert server.count(path) == 0, f"robots-disallowed {url} was requested"
    sites = run.report["sites"]
    assert set(sites) == set(news_network.sites)
    # The disallowed article is counted as skipped for robots.txt, not as an error.
    assert sites["sitemapsite"]["skipped_by_reason"].get("robots_disallowed", 0) >= 1
    for key, summary in sites.items():
        expected = len(news_network.expected.sites[key].articles)
        assert summary["written"] == expected, (key, summary)
        # Every fetched page that did not become a record is accounted for by a reason.
        accounted = summary["written"] + sum(summary["dropped_by_reason"].values())
        assert accounted == summary["fetched"] + summary["dropped_by_reason"].get(
            "http_404", 0), (key, summary)


def test_second_run_adds_nothing_and_refetches_no_article(news_network, tmp_path: Path):
    out = tmp_path / "data"
    first = run_crawl(news_network.sites_file, out)
    assert first.returncode == 0, first.stderr[-3000:]
    rows_before = read_rows(out)
    for server in news_network.servers.values():
        server.clear_requests()
    # A link left pending that robots.txt forbids (as a related box may point into /private/)
    # is not fetched, and cleared: no run ever will fetch it.
    [forbidden] = news_network.expected.sites["sitemapsite"].never_fetch
    with sqlite3.connect(out / "_state" / "crawl.sqlite") as db:
        db.execute("INSERT INTO pending (site, url) VALUES (?, ?)",
                   ("sitemapsite", canonicalize_url(forbidden)))
    db.close()
    second = run_crawl(news_network.sites_file, out)
    assert second.returncode == 0, second.stderr[-3000:]
    rows_after = read_rows(out)
    assert len(rows_after) == len(rows_before)
    assert {r["id"] for r in rows_after} == {r["id"] for r in rows_before}
    refetched = []
    for article in news_network.expected.articles:
        server = news_network.servers[article.site]
        for url in article.urls:
            path = url.split(server.base_url, 1)[-1]
            if server.count(path):
                refetched.append(url)
    assert not refetched, f"known articles fetched again: {refetched}"
    assert sum(s["written"] for s in second.report["sites"].values()) == 0
    # Nor is the photo gallery without a word of text fetched again: remembered as no story.
    assert sum(s["fetched"] for s in second.report["sites"].values()) == 0
    assert sum(s["skipped_by_reason"].get("not_an_article_before", 0)
               for s in second.report["sites"].values()) >= 1
    assert second.report["sites"]["sitemapsite"]["skipped_by_reason"]["robots_disallowed"] >= 1
    with sqlite3.connect(out / "_state" / "crawl.sqlite") as db:
        assert db.execute("SELECT url FROM pending WHERE site = 'sitemapsite'").fetchall() == []
    db.close()
