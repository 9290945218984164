"""What one crawl is asked to do, read from Scrapy settings once.

The CLI and `scrapy crawl news -s NEWSCRAWL_...` take the same route: settings in, one
`CrawlConfig` out. `newscrawl crawl` builds it before starting Scrapy (so a bad sites file or
date is one line and exit 2, not a traceback from inside the crawl) and hands the object on in
the `NEWSCRAWL_CONFIG` setting; `config_of()` then returns that object instead of parsing again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy.settings import BaseSettings

from newscrawl.crawl.policy import TrapLimits
from newscrawl.discovery.dates import parse_machine_date
from newscrawl.sites import Site, load_sites, select_sites

CONFIG_SETTING = "NEWSCRAWL_CONFIG"


class ConfigError(ValueError):
    """A setting a user gave cannot be used; the message names it and the fix."""


@dataclass(frozen=True)
class CrawlConfig:
    sites: dict[str, Site]
    out: Path
    since: datetime | None = None
    run_id: str | None = None
    worker: str = "w0"
    redis_url: str | None = None
    max_articles: int | None = None
    flush_rows: int = 500
    flush_seconds: float = 60.0
    near_window_days: int = 30
    drop_near_duplicates: bool = False
    max_sitemaps: int = 50
    max_listing_depth: int = 3
    max_listing_pages: int = 200
    follow_article_links: str = "auto"
    max_article_link_hops: int = 3
    max_article_links_per_site: int = 2000
    revisit_hours: float = 48.0
    revisit_interval_minutes: float = 60.0
    reject_recheck_hours: float = 24.0
    extract_workers: int = 1
    extract_timeout: float = 30.0
    extract_task: str = "newscrawl.crawl.pool.extract_task"
    progress: str = "auto"
    progress_interval: float = 10.0
    trap_limits: TrapLimits = field(default_factory=TrapLimits)
    archive: bool = True
    archive_max_bytes: int = 1 << 30

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> CrawlConfig:
        """Parse and check every NEWSCRAWL_* setting; ConfigError names what is wrong."""
        sites_file = settings.get("NEWSCRAWL_SITES_FILE") or None
        keys = [k.strip() for k in settings.getlist("NEWSCRAWL_SITES") if k.strip()]
        sites = {s.key: s for s in select_sites(load_sites(sites_file), keys)}
        since_text = settings.get("NEWSCRAWL_SINCE") or None
        workers = settings.getint("NEWSCRAWL_EXTRACT_WORKERS", -1)
        progress = settings.get("NEWSCRAWL_PROGRESS", "auto")
        if progress not in ("auto", "on", "off"):
            raise ConfigError(f"NEWSCRAWL_PROGRESS={progress!r}: use auto, on or off")
        config = cls(
            sites=sites,
            out=Path(settings.get("NEWSCRAWL_OUT", "datasets/news")),
            since=parse_since(since_text) if since_text else None,
            run_id=settings.get("NEWSCRAWL_RUN_ID") or None,
            worker=settings.get("NEWSCRAWL_WORKER_ID", "w0"),
            redis_url=settings.get("NEWSCRAWL_REDIS_URL") or None,
            max_articles=(_positive(settings, "NEWSCRAWL_MAX_ARTICLES", 1)
                          if settings.get("NEWSCRAWL_MAX_ARTICLES") else None),
            flush_rows=_positive(settings, "NEWSCRAWL_FLUSH_ROWS", 500),
            flush_seconds=settings.getfloat("NEWSCRAWL_FLUSH_SECONDS", 60.0),
            near_window_days=settings.getint("NEWSCRAWL_NEAR_DUPLICATE_WINDOW_DAYS", 30),
            drop_near_duplicates=settings.getbool("NEWSCRAWL_DROP_NEAR_DUPLICATES", False),
            max_sitemaps=settings.getint("NEWSCRAWL_MAX_SITEMAPS_PER_SITE", 50),
            max_listing_depth=settings.getint("NEWSCRAWL_MAX_LISTING_DEPTH", 3),
            max_listing_pages=settings.getint("NEWSCRAWL_MAX_LISTING_PAGES_PER_SITE", 200),
            follow_article_links=_choice(settings, "NEWSCRAWL_FOLLOW_ARTICLE_LINKS", "auto",
                                         ("auto", "always", "never")),
            max_article_link_hops=settings.getint("NEWSCRAWL_MAX_ARTICLE_LINK_HOPS", 3),
            max_article_links_per_site=settings.getint("NEWSCRAWL_MAX_ARTICLE_LINKS_PER_SITE",
                                                       2000),
            revisit_hours=settings.getfloat("NEWSCRAWL_REVISIT_HOURS", 48.0),
            revisit_interval_minutes=settings.getfloat("NEWSCRAWL_REVISIT_INTERVAL_MINUTES",
                                                       60.0),
            reject_recheck_hours=settings.getfloat("NEWSCRAWL_REJECT_RECHECK_HOURS", 24.0),
            extract_workers=(os.cpu_count() or 1) if workers < 0 else workers,
            extract_timeout=settings.getfloat("NEWSCRAWL_EXTRACT_TIMEOUT", 30.0),
            extract_task=settings.get("NEWSCRAWL_EXTRACT_TASK", cls.extract_task),
            progress=progress,
            progress_interval=settings.getfloat("NEWSCRAWL_PROGRESS_INTERVAL", 10.0),
            trap_limits=TrapLimits(
                max_url_length=_positive(settings, "NEWSCRAWL_MAX_URL_LENGTH", 1024),
                max_path_segments=_positive(settings, "NEWSCRAWL_MAX_PATH_SEGMENTS", 16),
                max_segment_repeats=_positive(settings, "NEWSCRAWL_MAX_SEGMENT_REPEATS", 3),
                max_query_variants=_positive(settings, "NEWSCRAWL_MAX_QUERY_VARIANTS", 10),
                max_candidates_per_site=_positive(settings, "NEWSCRAWL_MAX_ARTICLES_PER_SITE",
                                                  20_000)),
            archive=settings.getbool("NEWSCRAWL_ARCHIVE", True),
            archive_max_bytes=_positive(settings, "NEWSCRAWL_ARCHIVE_MAX_BYTES", 1 << 30),
        )
        return config


def config_of(settings: BaseSettings) -> CrawlConfig:
    """The crawl's config: the one the CLI parsed, or parsed here from the settings."""
    given: Any = settings.get(CONFIG_SETTING)
    if isinstance(given, CrawlConfig):
        return given
    return CrawlConfig.from_settings(settings)


def parse_since(value: str) -> datetime:
    """'2026-01-31' or an ISO timestamp -> aware UTC datetime; ConfigError with a clear text."""
    parsed = parse_machine_date(value)
    if parsed is None:
        raise ConfigError(f"--since {value!r} is not a date; use YYYY-MM-DD or an ISO timestamp")
    return parsed


def _choice(settings: BaseSettings, name: str, default: str, choices: tuple[str, ...]) -> str:
    value = str(settings.get(name, default)).lower()
    if value not in choices:
        raise ConfigError(f"{name}={value!r}: use one of {', '.join(choices)}")
    return value


def _positive(settings: BaseSettings, name: str, default: int) -> int:
    value = settings.getint(name, default)
    if value <= 0:
        raise ConfigError(f"{name}={value}: must be a positive number")
    return value
