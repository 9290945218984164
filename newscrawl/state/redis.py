"""The crawl state shared by distributed workers, in Redis.

Same contract as `SqliteCrawlState` (the `CrawlState` protocol, one contract test suite), so
the spider and pipelines do not care which one they hold. Keys (built by `redis_keys`):

    articles   hash  canonical URL -> JSON {id, content_hash, version, lastmod_seen, ...}
    aliases    hash  URL -> canonical URL (redirect sources, duplicate copies)
    content    hash  content hash -> canonical URL of the committed article
    claims     hash  content hash -> canonical URL of the worker's article being written
    parts      set   part files already committed
    rejected   hash  URL -> JSON {at, reason}
    robots     hash  host -> robots.txt body of this run

A claim (HSETNX) is what stops two workers from both writing the same text found at two
URLs: the first claimant writes it, the other drops its copy. A claim whose article is never
committed (its worker died) does not lose the article: its URL is not in `articles`, so the
next run fetches it again, and the claim, being its own, lets it through.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import redis

from newscrawl.state import MAX_ALIAS_HOPS, CommittedRow, KnownArticle, Validators
from newscrawl.state.parts import adopt_parts, iso_or_none
from newscrawl.state.redis_keys import redis_key


class RedisCrawlState:
    def __init__(self, root: Path, url: str, namespace: str) -> None:
        self.root = Path(root)
        self.redis = redis.Redis.from_url(url)
        self.namespace = namespace

    def _key(self, name: str) -> str:
        return redis_key(self.namespace, name)

    def close(self) -> None:
        self.redis.close()

    def reconcile(self) -> int:
        """Adopt visible parts whose commit to Redis was lost (a worker killed between
        renaming a part into place and recording it)."""
        return adopt_parts(self.root, lambda relpath: bool(
            self.redis.sismember(self._key("parts"), relpath)), self.commit_part)

    def commit_part(self, relpath: str, rows: Iterable[CommittedRow]) -> None:
        now = datetime.now(UTC).isoformat()
        pipe = self.redis.pipeline(transaction=True)
        for entry in rows:
            row, extra = entry.row, entry.validators
            existing = self._raw_article(row["canonical_url"])
            version = max(row.get("version", 1), existing.get("version", 0))
            record = {
                "id": row["id"], "content_hash": row["content_hash"], "version": version,
                "lastmod_seen": extra.lastmod_seen or existing.get("lastmod_seen"),
                "published_at": iso_or_none(row.get("published_at")),
                "last_fetched": iso_or_none(row.get("crawled_at")) or now,
                "etag": extra.etag or existing.get("etag"),
                "last_modified": extra.last_modified or existing.get("last_modified"),
                "extractor_version": row.get("extractor_version"),
            }
            pipe.hset(self._key("articles"), row["canonical_url"], json.dumps(record))
            pipe.hset(self._key("content"), row["content_hash"], row["canonical_url"])
            if row.get("url") and row["url"] != row["canonical_url"]:
                pipe.hset(self._key("aliases"), row["url"], row["canonical_url"])
        pipe.sadd(self._key("parts"), relpath)
        pipe.execute()

    def _raw_article(self, canonical_url: str) -> dict[str, Any]:
        raw = self.redis.hget(self._key("articles"), canonical_url)
        return json.loads(raw) if raw else {}

    def known(self, url: str) -> KnownArticle | None:
        seen: set[str] = set()
        for _ in range(MAX_ALIAS_HOPS):
            data = self._raw_article(url)
            if data:
                return KnownArticle(url, data["id"], data["content_hash"], data["version"],
                                    data.get("lastmod_seen"), data.get("published_at"),
                                    data.get("last_fetched"), data.get("etag"),
                                    data.get("last_modified"))
            seen.add(url)
            alias = self.redis.hget(self._key("aliases"), url)
            if alias is None or alias.decode() in seen:
                return None
            url = alias.decode()
        return None

    def touch(self, canonical_url: str, validators: Validators | None = None) -> None:
        known = self.known(canonical_url)
        if known is None:
            return
        validators = validators or Validators()
        data = self._raw_article(known.canonical_url)
        data["last_fetched"] = datetime.now(UTC).isoformat()
        for name in ("etag", "last_modified", "lastmod_seen"):
            value = getattr(validators, name)
            if value:
                data[name] = value
        self.redis.hset(self._key("articles"), known.canonical_url, json.dumps(data))

    def add_alias(self, url: str, canonical_url: str) -> None:
        if url != canonical_url:
            self.redis.hset(self._key("aliases"), url, canonical_url)

    def has_content(self, content_hash: str) -> str | None:
        value = self.redis.hget(self._key("content"), content_hash)
        return value.decode() if value else None

    def reject(self, url: str, reason: str) -> None:
        self.redis.hset(self._key("rejected"), url, json.dumps(
            {"at": datetime.now(UTC).isoformat(), "reason": reason}))

    def rejected(self, url: str) -> tuple[datetime, str] | None:
        value = self.redis.hget(self._key("rejected"), url)
        if value is None:
            return None
        data = json.loads(value)
        return datetime.fromisoformat(data["at"]), str(data["reason"])

    def add_pending(self, site: str, urls: Iterable[str]) -> None:
        if urls := list(urls):
            self.redis.sadd(self._key(f"pending:{site}"), *urls)

    def pending(self, site: str) -> list[str]:
        members = self.redis.smembers(self._key(f"pending:{site}"))
        return sorted(m.decode() if isinstance(m, bytes) else str(m) for m in members)

    def drop_pending(self, site: str, urls: Iterable[str]) -> None:
        if urls := list(urls):
            self.redis.srem(self._key(f"pending:{site}"), *urls)

    def save_robots(self, host: str, body: bytes) -> None:
        """Share a host's robots.txt with every worker (another worker may schedule that
        host's URLs before fetching its robots.txt itself)."""
        self.redis.hset(self._key("robots"), host, body)

    def load_robots(self, host: str) -> bytes | None:
        value = self.redis.hget(self._key("robots"), host)
        return bytes(value) if value is not None else None

    def claim_content(self, content_hash: str, canonical_url: str) -> str:
        """Atomically claim a text for this article; returns the canonical URL that owns it
        (this one, or another worker's that claimed it first)."""
        self.redis.hsetnx(self._key("claims"), content_hash, canonical_url)
        owner = self.redis.hget(self._key("claims"), content_hash)
        return owner.decode() if owner else canonical_url

    def canonical_urls(self) -> Iterator[str]:
        for url in self.redis.hkeys(self._key("articles")):
            yield url.decode()

    def forget(self, canonical_urls: Iterable[str], parts: Iterable[str]) -> None:
        pipe = self.redis.pipeline(transaction=True)
        for url in canonical_urls:
            data = self._raw_article(url)
            if data and self.has_content(data["content_hash"]) == url:
                pipe.hdel(self._key("content"), data["content_hash"])
            pipe.hdel(self._key("articles"), url)
        for part in parts:
            pipe.srem(self._key("parts"), part)
        pipe.execute()

    def count(self) -> int:
        return int(self.redis.hlen(self._key("articles")))
