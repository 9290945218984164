"""Hostile sites: every test is a small news site with three valid articles and one hostile
element. The crawl must stay on the site, stop every trap within its bounds, write the valid
articles, and say why it left the rest."""

from __future__ import annotations

import gzip
import itertools
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil
import pytest

from newscrawl.demo.feeds import render_urlset
from newscrawl.demo.server import Route
from tests.integration.crawling import crawl_command, read_rows, run_crawl
from tests.integration.hostile import TinySite, article_html, listing_html


@pytest.fixture
def site() -> TinySite:
    tiny = TinySite("127.0.0.21")
    yield tiny
    tiny.stop()


@pytest.fixture
def foreign() -> TinySite:
    other = TinySite("127.0.0.22")
    yield other
    other.stop()


def valid_rows_only(out: Path, site: TinySite) -> list[dict]:
    rows = read_rows(out)
    assert sorted(r["url"] for r in rows) == sorted(site.url(p) for p in site.valid)
    return rows


def test_redirects_to_another_host_store_nothing_of_the_foreign_page(
        site: TinySite, foreign: TinySite, tmp_path: Path) -> None:
    for n, path in enumerate(("/2024/09/10/foreign-a/", "/2024/09/11/foreign-b/",
                              "/2024/09/12/foreign-c/", "/2024/09/13/foreign-d/"), 10):
        foreign.routes[path] = Route.html(article_html(f"Foreign story {n}", n,
                                                       canonical=site.url(path)))
    foreign.start()
    site.routes["/2024/09/05/moved-story/"] = Route.to(foreign.url("/2024/09/10/foreign-a/"),
                                                       status=302)
    site.routes["/2024/09/06/refresh-story/"] = Route.html(
        '<html><head><meta http-equiv="refresh" content="0; url='
        f'{foreign.url("/2024/09/11/foreign-b/")}"></head><body></body></html>')
    # a scheme-relative Location: //host/path
    site.routes["/2024/09/07/short-link/"] = Route.to(
        "//" + foreign.base.split("//", 1)[1] + "/2024/09/12/foreign-c/", status=302)
    site.routes["/go/elsewhere/"] = Route.to(foreign.url("/2024/09/13/foreign-d/"), status=302)
    site.sitemap_extra = ["/2024/09/05/moved-story/", "/2024/09/06/refresh-story/",
                          "/2024/09/07/short-link/"]
    site.start()
    sites = site.sites_file(tmp_path, extra=f'sections = ["{site.url("/go/elsewhere/")}"]\n')
    out = tmp_path / "data"
    run = run_crawl(sites, out)
    assert run.returncode == 0, run.stderr[-3000:]
    rows = valid_rows_only(out, site)
    assert {r["domain"] for r in rows} == {"127.0.0.21"}
    assert foreign.server.requests == []  # not one request reached the other host
    assert run.report["sites"]["tiny"]["skipped_by_reason"]["offsite_redirect"] == 4
    assert "refusing" in run.stderr and "another host than the site's" in run.stderr


def test_a_day_archive_calendar_is_bounded_by_listing_depth(site: TinySite,
                                                            tmp_path: Path) -> None:
    # Every day's archive page looks like an article URL (dated path) and links to the day
    # before, back to 1899: an endless walk unless depth carries through article-shaped
    # listings.
    day = time.mktime((2024, 9, 20, 12, 0, 0, 0, 0, 0))
    paths = []
    for back in range(400):
        y, m, d = time.localtime(day - back * 86400)[:3]
        paths.append(f"/{y}/{m:02d}/{d:02d}/archive/")
    for here, before in itertools.pairwise(paths):
        site.routes[here] = Route.html(listing_html(f"Archive {here}", [before, *site.valid]))
    site.home_links = [paths[0]]
    site.start()
    out = tmp_path / "data"
    run = run_crawl(site.sites_file(tmp_path), out)
    assert run.returncode == 0, run.stderr[-3000:]
    valid_rows_only(out, site)
    archive_requests = site.server.count(lambda r: r.path.endswith("/archive/"))
    assert archive_requests <= 5, archive_requests
    skipped = run.report["sites"]["tiny"]["skipped_by_reason"]
    assert skipped.get("trap_listing_depth", 0) >= 1, run.report["sites"]["tiny"]


def test_query_variants_and_growing_paths_are_bounded(site: TinySite, tmp_path: Path) -> None:
    variant_base = "/2024/09/08/endless-story/"
    site.routes[variant_base] = Route.html(article_html("Endless story", 8))
    growing = ["/news/" + "celebrity/" * k for k in range(1, 40)]
    for here, nxt in itertools.pairwise(growing):
        site.routes[here] = Route.html(listing_html(here, [nxt]))
    site.home_links = [f"{variant_base}?variant={n}" for n in range(60)] + [growing[0]]
    site.start()
    out = tmp_path / "data"
    run = run_crawl(site.sites_file(tmp_path), out)
    assert run.returncode == 0, run.stderr[-3000:]
    rows = read_rows(out)
    assert {r["url"].split("?")[0] for r in rows} == {site.url(p) for p in
                                                       [*site.valid, variant_base]}
    assert site.server.count(variant_base) <= 10
    assert site.server.count(lambda r: r.path.startswith("/news/")) <= 3
    skipped = run.report["sites"]["tiny"]["skipped_by_reason"]
    assert skipped["trap_query_variants"] >= 50
    assert skipped.get("trap_path_repetition", 0) + skipped.get("trap_listing_depth", 0) >= 1
    assert "crawl limits hit" in run.stderr and "trap_query_variants" in run.stderr


def test_a_huge_sitemap_is_read_in_bounded_memory_newest_first(site: TinySite,
                                                               tmp_path: Path) -> None:
    # 150,000 URLs gzipped, all older than the three valid articles, none of them served:
    # the crawl reads at most the protocol's 50,000, fetches the newest first within the
    # site's article budget, and keeps its memory flat.
    old = [(site.url(f"/2020/01/01/old-story-{n}/"), datetime(2020, 1, 1, tzinfo=UTC))
           for n in range(150_000)]
    newest = [(site.url(p), datetime(2024, 9, 9, tzinfo=UTC)) for p in site.valid]
    # the valid stories sit deep in the file (entry 40,000), behind the old ones
    body = render_urlset(old[:40_000] + newest + old[40_000:])
    site.routes["/sitemap.xml"] = Route.data(gzip.compress(body.encode()), "application/xml")
    site.start()
    out = tmp_path / "data"
    cmd = crawl_command(site.sites_file(tmp_path), out, "-s", "NEWSCRAWL_MAX_ARTICLES_PER_SITE=40")
    log = tmp_path / "crawl.log"
    with open(log, "w") as stderr_file:
        proc = psutil.Popen(cmd, stdout=subprocess.DEVNULL, stderr=stderr_file)
        peak = 0
        while proc.poll() is None:
            try:
                peak = max(peak, proc.memory_info().rss)
            except psutil.NoSuchProcess:
                break
            time.sleep(0.1)
    stderr = log.read_text()
    assert proc.returncode == 0, stderr[-3000:]
    assert site.article_requests() <= 40 + 3
    assert peak < 700 * 1024 * 1024, peak
    assert "site_candidate_cap" in stderr and "sitemap_cap" in stderr
    valid_rows_only(out, site)  # the newest entries were fetched first, within the budget
