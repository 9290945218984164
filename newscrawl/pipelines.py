"""Item pipelines, in flow order: validate -> dedup -> Parquet.

Each is a thin Scrapy adapter over pure code (record.validate_record, dedup keys and state,
storage.parquet). Every drop names its reason and bumps `newscrawl/<site>/dropped/<reason>`.
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from newscrawl.record import validate_record
from newscrawl.run import DatasetRun, get_run
from newscrawl.stats import bump


class _CrawlerPipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> _CrawlerPipeline:
        return cls(crawler)

    @property
    def run(self) -> DatasetRun:
        return get_run(self.crawler)

    def drop(self, item: dict[str, Any], reason: str, detail: str = "") -> DropItem:
        bump(self.stats, item.get("site", "?"), f"dropped/{reason}")
        return DropItem(f"{reason}: {item.get('url')} {detail}".strip())


class ValidatePipeline(_CrawlerPipeline):
    """Rejects rows that do not match the schema (a bug, never silently written)."""

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        problems = validate_record(item)
        if problems:
            self.run.signatures.pop(item.get("id"), None)
            raise self.drop(item, "invalid", "; ".join(problems))
        return item


class DedupPipeline(_CrawlerPipeline):
    """Drops a row whose canonical URL or exact normalised text is already in the dataset
    or already accepted in this run; marks near-duplicates (syndicated copies) with
    `duplicate_of`, or drops them when NEWSCRAWL_DROP_NEAR_DUPLICATES is set."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self.drop_near = crawler.settings.getbool("NEWSCRAWL_DROP_NEAR_DUPLICATES", False)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        run = self.run
        values = run.signatures.pop(item["id"], None)
        canonical = item["canonical_url"]
        if canonical in run.seen_urls:
            raise self.drop(item, "duplicate_url")
        known = run.state.known(canonical)
        if known is not None and known.canonical_url != canonical:
            # This URL is an alias of an article already in the dataset (a copy at a second
            # URL, a moved URL): its page is that article, under that article's identity.
            item["canonical_url"], item["id"] = known.canonical_url, known.id
            canonical = known.canonical_url
            if canonical in run.seen_urls:
                raise self.drop(item, "duplicate_url")
        if known is not None and known.content_hash == item["content_hash"]:
            # A revisit that found the same text: nothing to write, remember the check.
            run.state.touch(known.canonical_url, run.validators.pop(canonical, None))
            raise self.drop(item, "unchanged")
        digest = item["content_hash"]
        first = run.seen_hashes.get(digest) or run.state.has_content(digest) \
            or run.state.claim_content(digest, canonical)
        if first is not None and first != canonical:
            # Remember the copy's URL so the next run does not fetch it again.
            run.state.add_alias(canonical, first)
            raise self.drop(item, "duplicate_content", f"same text as {first}")
        if known is not None:
            item["version"] = known.version + 1
        original, minhash = run.near.find(item["text"], item["id"], values)
        if original is not None:
            if self.drop_near:
                raise self.drop(item, "near_duplicate", f"near copy of {original}")
            item["duplicate_of"] = original
            bump(self.stats, item["site"], "near_duplicates")
        else:
            run.near.add(item["id"], minhash, item.get("published_at"))
        run.seen_urls.add(canonical)
        run.seen_hashes[digest] = canonical
        return item


class ParquetPipeline(_CrawlerPipeline):
    """Buffers rows into part files; a part is committed to the crawl state once visible."""

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        for part in self.run.add(item):
            self._count(part.rows)
        return item

    def close_spider(self) -> None:
        run = getattr(self.crawler, "_newscrawl_run", None)
        if run is None:
            return
        for part in run.flush():
            self._count(part.rows)
        run.close()

    def _count(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            bump(self.stats, row["site"], "written")
