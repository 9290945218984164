"""Stats keys: every counter newscrawl keeps is `newscrawl/<site>/<what>`."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

PREFIX = "newscrawl/"


def bump(stats: Any, site: str, what: str, count: int = 1) -> None:
    stats.inc_value(f"{PREFIX}{site}/{what}", count)


def per_site(all_stats: dict[str, Any]) -> dict[str, dict[str, int]]:
    """{site: {what: count}} from a Scrapy stats dict."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for key, value in all_stats.items():
        if key.startswith(PREFIX) and isinstance(value, int):
            site, _, what = key[len(PREFIX):].partition("/")
            out[site][what] = value
    return dict(out)
