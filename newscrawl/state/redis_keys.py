"""The one place Redis key names are built: `newscrawl:<namespace>:<name>`.

The namespace is the dataset directory's name, so two datasets can share one Redis server.
Every Redis user (the crawl state, the near-duplicate index, scrapy-redis's queue and
dupefilter, seeding) takes its names from here.
"""

from __future__ import annotations

from pathlib import Path

PREFIX = "newscrawl"


def namespace_of(out: str | Path) -> str:
    """The key namespace of the dataset at `out`."""
    return Path(out).resolve().name


def redis_key(namespace: str, name: str) -> str:
    return f"{PREFIX}:{namespace}:{name}"
