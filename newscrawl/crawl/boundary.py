"""Staying on the site: which URLs a site's crawl may fetch at all.

A crawl of a public site must never be steered into fetching an internal address (loopback,
private, link-local, cloud metadata) by a redirect, a meta refresh or a link in a sitemap; and
an article or section request that redirects to another host leaves the site: the foreign page
is not the site's article. Sitemaps, feeds and robots.txt may live on other hosts (feed
services, CDNs), so only their internal-address check applies.
"""

from __future__ import annotations

import ipaddress
from typing import Literal
from urllib.parse import urlsplit

from newscrawl.urls import is_same_site

OFFSITE_REDIRECT = "offsite_redirect"
# Roles whose pages become records or lead to them: they must stay on the site's hosts.
SITE_BOUND_ROLES = frozenset({"article", "listing"})
_INTERNAL_NAMES = ("localhost", "localhost.localdomain", "metadata", "metadata.google.internal",
                   "instance-data", "instance-data.ec2.internal")

Verdict = Literal["ok", "internal_address", "offsite"]


def is_internal_host(host: str) -> bool:
    """Loopback, private, link-local, reserved or cloud-metadata host (IP literal or name)."""
    host = host.lower().strip("[]").rstrip(".")
    if not host:
        return True
    if host in _INTERNAL_NAMES or host.endswith(".localhost") or host.endswith(".internal"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return bool(address.is_private or address.is_loopback or address.is_link_local
                or address.is_reserved or address.is_multicast or address.is_unspecified)


def host_of(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def fetch_verdict(url: str, role: str, allowed_hosts: frozenset[str],
                  home_is_internal: bool) -> Verdict:
    """May a request of this role for this site fetch `url`?

    `home_is_internal`: the site itself lives on an internal address (a local test site or an
    intranet outlet); then internal addresses are its own and allowed."""
    if not home_is_internal and is_internal_host(host_of(url)):
        return "internal_address"
    if role in SITE_BOUND_ROLES and not is_same_site(url, allowed_hosts):
        return "offsite"
    return "ok"
