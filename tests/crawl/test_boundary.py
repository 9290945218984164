"""Which URLs a site's crawl may fetch: internal addresses and other hosts."""

from __future__ import annotations

import pytest

from newscrawl.crawl.boundary import fetch_verdict, is_internal_host

SITE = frozenset({"gossipwire.example"})


@pytest.mark.parametrize("host", [
    "127.0.0.1", "127.9.9.9", "10.0.0.5", "172.16.3.4", "192.168.1.1", "169.254.169.254",
    "0.0.0.0", "::1", "[::1]", "fe80::1", "::ffff:127.0.0.1", "localhost", "api.localhost",
    "metadata.google.internal", "LOCALHOST.", ""])
def test_internal_hosts(host: str) -> None:
    assert is_internal_host(host)


@pytest.mark.parametrize("host", ["gossipwire.example", "93.184.216.34", "2606:4700::1111",
                                  "cdn.feeds.example.com"])
def test_public_hosts(host: str) -> None:
    assert not is_internal_host(host)


def test_a_public_site_never_fetches_an_internal_address_whatever_the_role() -> None:
    for role in ("article", "listing", "sitemap", "feed", "robots", ""):
        assert fetch_verdict("http://169.254.169.254/latest/meta-data/", role, SITE,
                             home_is_internal=False) == "internal_address"
        assert fetch_verdict("http://127.0.0.1:8080/admin", role, SITE,
                             home_is_internal=False) == "internal_address"


def test_a_local_site_may_fetch_its_own_internal_addresses() -> None:
    local = frozenset({"127.0.0.2:9000"})  # registered_host keeps a non-default port
    assert fetch_verdict("http://127.0.0.2:9000/2026/03/02/story/", "article", local,
                         home_is_internal=True) == "ok"
    # ... but an article that redirects to another host still leaves the site
    assert fetch_verdict("http://127.0.0.3:9000/2026/03/02/story/", "article", local,
                         home_is_internal=True) == "offsite"


def test_articles_and_sections_stay_on_the_site_discovery_may_not() -> None:
    foreign = "https://elsewhere.example/2026/03/02/story/"
    assert fetch_verdict(foreign, "article", SITE, home_is_internal=False) == "offsite"
    assert fetch_verdict(foreign, "listing", SITE, home_is_internal=False) == "offsite"
    assert fetch_verdict("https://feeds.example.net/gossip.xml", "feed", SITE,
                         home_is_internal=False) == "ok"
    assert fetch_verdict("https://m.gossipwire.example/2026/03/02/story/", "article", SITE,
                         home_is_internal=False) == "ok"
