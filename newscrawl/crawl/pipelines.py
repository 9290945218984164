"""Item pipelines, in flow order: validate -> dedup -> Parquet.

Thin Scrapy adapters: the decisions are `record.validate_record` and `policy.decide_write`,
the writing is the dataset run's. Every drop names its reason and bumps
`newscrawl/<site>/dropped/<reason>`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawl.crawl.dataset import DatasetRun
from newscrawl.crawl.items import ArticleItem
from newscrawl.crawl.policy import Drop, decide_write
from newscrawl.crawl.services import CrawlServices, services_of
from newscrawl.crawl.stats import bump
from newscrawl.record import validate_record

if TYPE_CHECKING:
    from datasketch import LeanMinHash, MinHash


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
        dataset, record = self.dataset, item.record
        minhash: list[MinHash | LeanMinHash | None] = [None]

        def near_original(id_: str) -> str | None:
            original, minhash[0] = dataset.near.find(record["text"], id_, item.signature)
            return original

        decision = decide_write(
            record, dataset.state.known(record["canonical_url"]),
            written_this_run=dataset.accepted_urls, content_owner=dataset.content_owner,
            near_original=near_original, drop_near=self.services.config.drop_near_duplicates)
        if isinstance(decision, Drop):
            if decision.touch is not None:
                dataset.state.touch(decision.touch.canonical_url, item.validators)
            if decision.alias_of is not None:
                # Remember the copy's URL so the next run does not fetch it again.
                dataset.state.add_alias(record["canonical_url"], decision.alias_of)
            raise self.drop(item, decision.reason, decision.detail)
        record.update(canonical_url=decision.canonical_url, id=decision.id,
                      version=decision.version, duplicate_of=decision.duplicate_of)
        if decision.duplicate_of is not None:
            bump(self.stats, item.site, "near_duplicates")
        else:
            dataset.near.add(decision.id, minhash[0], record.get("published_at"))
        return item


class ParquetPipeline(_ArticlePipeline):
    """Hands rows to the dataset run, which writes and commits them in parts."""

    def process_item(self, item: ArticleItem) -> ArticleItem:
        try:
            self.dataset.add(item)
        except OSError as exc:
            # Not committed: the next run fetches the page again.
            self.services.unwritable(exc)
            raise self.drop(item, "dataset_unwritable", str(exc)) from exc
        return item
