"""Item pipelines, in flow order: validate -> dedup -> Parquet.

Thin Scrapy adapters: the decisions are `record.validate_record` and `policy.decide_write`,
the state effects and the writing are the dataset run's. Every drop names its reason and bumps
`newscrawl/<site>/dropped/<reason>`.
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawl.crawl.dataset import DatasetRun
from newscrawl.crawl.items import ArticleItem
from newscrawl.crawl.policy import Drop
from newscrawl.crawl.services import CrawlServices, services_of
from newscrawl.crawl.stats import bump
from newscrawl.record import validate_record


class _ArticlePipeline:
    def __init__(self, crawler: Crawler) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.services: CrawlServices = services_of(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> _ArticlePipeline:
        return cls(crawler)

    @property
    def dataset(self) -> DatasetRun:
        return self.services.dataset

    def drop(self, item: ArticleItem, reason: str, detail: str = "") -> DropItem:
        bump(self.stats, item.site, f"dropped/{reason}")
        return DropItem(f"{reason}: {item.url} {detail}".strip())


class ValidatePipeline(_ArticlePipeline):
    """Rejects rows that do not match the schema (a bug, never silently written)."""

    def process_item(self, item: ArticleItem) -> ArticleItem:
        problems = validate_record(item.record)
        if problems:
            raise self.drop(item, "invalid", "; ".join(problems)[:500])
        return item


class DedupPipeline(_ArticlePipeline):
    """Drops a row whose canonical URL or exact normalised text is already in the dataset
    or already accepted in this run; marks near-duplicates (syndicated copies) with
    `duplicate_of`, or drops them when NEWSCRAWL_DROP_NEAR_DUPLICATES is set."""

    def process_item(self, item: ArticleItem) -> ArticleItem:
        decision = self.dataset.deduplicate(
            item, drop_near=self.services.config.drop_near_duplicates)
        if isinstance(decision, Drop):
            raise self.drop(item, decision.reason, decision.detail)
        if decision.duplicate_of is not None:
            bump(self.stats, item.site, "near_duplicates")
        return item


class ParquetPipeline(_ArticlePipeline):
    """Hands rows to the dataset run, which writes and commits them in parts; with
    --max-articles N, exactly N, then the crawl stops (items past N are not written and are
    fetched again by the next run)."""

    def process_item(self, item: ArticleItem) -> ArticleItem:
        limit = self.services.config.max_articles
        if limit is not None and self.dataset.accepted >= limit:
            raise self.drop(item, "max_articles_reached")
        try:
            self.dataset.add(item)
        except OSError as exc:
            # Not committed: the next run fetches the page again.
            self.services.unwritable(exc)
            raise self.drop(item, "dataset_unwritable", str(exc)) from exc
        bump(self.stats, item.site, "accepted")
        if item.via == "article_link":
            # found only through another story's links: no sitemap, feed or listing had it
            bump(self.stats, item.site, "discovery/found_via_article_links")
        if limit is not None and self.dataset.accepted >= limit:
            self.services.stop("closespider_itemcount")
        return item
