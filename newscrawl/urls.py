"""URL canonicalisation and identity.

Two URLs that show the same article must map to one canonical form before scheduling, so the
crawl fetches it once and the dataset holds it once. w3lib (Scrapy's own URL toolkit) does the
RFC-level normalisation; this module adds the news-specific rules: tracking parameters, AMP
variants, trailing `index.html`, and a host without `www.` for the domain column.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit, urlunsplit

import xxhash
from w3lib.url import canonicalize_url as w3lib_canonicalize

# Parameters that only say where a click came from. Matched case-insensitively; a trailing
# `*` is a prefix match. Everything else in the query is kept: many outlets put the article id
# there (?p=123, ?id=...).
TRACKING_PARAMS = (
    "utm_*", "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "share",
    "ref", "ref_src", "ref_url", "cmpid", "icid", "ito", "ncid", "soc_src", "soc_trk",
    "sr_share", "smid", "smtyp", "mbid", "taid", "_ga", "_gl", "__twitter_impression",
    "amp", "outputtype", "yptr", "spm", "trk", "trkid", "xtor", "at_medium", "at_campaign",
    "s_cid", "ocid", "ftag", "intcmp", "int_cmp",
)
_EXACT = frozenset(p for p in TRACKING_PARAMS if not p.endswith("*"))
_PREFIXES = tuple(p[:-1] for p in TRACKING_PARAMS if p.endswith("*"))

# AMP copies of an article: /amp/ or /amp as a path segment, .amp / .amp.html suffixes.
_AMP_SEGMENT = re.compile(r"/amp(?=/|$)", re.IGNORECASE)
_AMP_SUFFIX = re.compile(r"\.amp(?=\.html?$|$)", re.IGNORECASE)
_INDEX_PAGE = re.compile(r"/index\.(?:html?|php)$", re.IGNORECASE)


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _EXACT or lowered.startswith(_PREFIXES)


def canonicalize_url(url: str) -> str:
    """Return the canonical form of an absolute http(s) URL.

    Lower-cases scheme and host, drops the default port, the fragment, tracking parameters,
    AMP markers and a trailing index page, sorts the remaining query. Keeps the path's case
    and its trailing slash (servers differ on both).
    """
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _is_tracking(k)]
    path = parts.path or "/"
    path = _AMP_SUFFIX.sub("", path)
    path = _AMP_SEGMENT.sub("", path) or "/"
    path = _INDEX_PAGE.sub("/", path)
    host = (parts.hostname or "").lower()
    port = _port(parts)
    netloc = host if port is None or (parts.scheme, port) in (("http", 80), ("https", 443)) \
        else f"{host}:{port}"
    rebuilt = urlunsplit((parts.scheme.lower(), netloc, path, urlencode(query), ""))
    return w3lib_canonicalize(rebuilt, keep_fragments=False)


def url_id(canonical_url: str) -> str:
    """Stable 16-hex-char id of a canonical URL (xxh3-64): the dataset's `id` column."""
    return xxhash.xxh3_64_hexdigest(canonical_url.encode("utf-8"))


def domain_of(url: str) -> str:
    """Host name without port and without a leading `www.`."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def registered_host(url: str) -> str:
    """Host plus port, the unit a site's crawl stays inside (port matters on test hosts).
    A malformed port gives an empty string, which matches no site."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        return ""
    return f"{host}:{port}" if port else host


def _port(parts: SplitResult) -> int | None:
    try:
        return parts.port
    except ValueError:  # ':abc' or ':99999' in a scraped link
        return None


def is_same_site(url: str, allowed_hosts: frozenset[str]) -> bool:
    """True when the URL's host (or a parent domain of it) is one of the allowed hosts.

    `allowed_hosts` holds `registered_host` values; a subdomain such as `m.example.com` or
    `amp.example.com` belongs to `example.com`.
    """
    host = registered_host(url)
    if not host:
        return False
    if host in allowed_hosts:
        return True
    return any(host.endswith("." + allowed) for allowed in allowed_hosts)
