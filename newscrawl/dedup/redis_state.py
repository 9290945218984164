"""The crawl state and dedup indexes shared by distributed workers, in Redis.

Same contract as `CrawlState` (state.py) so the spider and pipelines do not care which one
they hold. Keys (prefix `newscrawl:<dataset name>:`):

    articles   hash  canonical URL -> JSON {id, content_hash, version, lastmod_seen, ...}
    aliases    hash  URL -> canonical URL (redirect sources, duplicate copies)
    content    hash  content hash -> canonical URL of the committed article
    claims     hash  content hash -> canonical URL of the worker's article being written
    parts      set   part files already committed
    lsh:*      datasketch MinHashLSH storage (near-duplicates)

A claim (HSETNX) is what stops two workers from both writing the same text found at two
URLs: the first claimant writes it, the other drops its copy. A claim whose article is never
committed (its worker died) does not lose the article: its URL is not in `articles`, so the
next run fetches it again, and the claim, being its own, lets it through.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import redis

from newscrawl.dedup.state import MAX_ALIAS_HOPS, KnownArticle, adopt_parts


class RedisCrawlState:
    def __init__(self, root: Path, url: str, namespace: str) -> None:
        self.root = Path(root)
        self.redis = redis.Redis.from_url(url)
        self.prefix = f"newscrawl:{namespace}:"

    def _key(self, name: str) -> str:
        return self.prefix + name

    def close(self) -> None:
        self.redis.close()

    def reconcile(self) -> int:
        """Adopt visible parts whose commit to Redis was lost (a worker killed between
        renaming a part into place and recording it)."""
        return adopt_parts(self.root, lambda relpath: bool(
            self.redis.sismember(self._key("parts"), relpath)), self.commit_part)

    def commit_part(self, relpath: str, rows: Iterable[dict[str, Any]],
                    validators: dict[str, dict[str, str | None]] | None = None) -> None:
        validators = validators or {}
        now = datetime.now(UTC).isoformat()
        pipe = self.redis.pipeline(transaction=True)
        for row in rows:
            extra = validators.get(row["canonical_url"], {})
            existing = self.known(row["canonical_url"])
            version = max(row.get("version", 1), existing.version if existing else 0)
            published = row.get("published_at")
            fetched = row.get("crawled_at")
            record = {
                "id": row["id"], "content_hash": row["content_hash"], "version": version,
                "lastmod_seen": extra.get("lastmod_seen") or (existing and existing.lastmod_seen),
                "published_at": published.isoformat() if isinstance(published, datetime)
                else None,
                "last_fetched": fetched.isoformat() if isinstance(fetched, datetime) else now,
                "etag": extra.get("etag"), "last_modified": extra.get("last_modified"),
            }
            pipe.hset(self._key("articles"), row["canonical_url"], json.dumps(record))
            pipe.hset(self._key("content"), row["content_hash"], row["canonical_url"])
            if row.get("url") and row["url"] != row["canonical_url"]:
                pipe.hset(self._key("aliases"), row["url"], row["canonical_url"])
        pipe.sadd(self._key("parts"), relpath)
        pipe.execute()

    def known(self, url: str) -> KnownArticle | None:
        seen: set[str] = set()
        for _ in range(MAX_ALIAS_HOPS):
            raw = self.redis.hget(self._key("articles"), url)
            if raw:
                data = json.loads(raw)
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

    def touch(self, canonical_url: str, validators: dict[str, str | None] | None = None) -> None:
        known = self.known(canonical_url)
        if known is None:
            return
        validators = validators or {}
        raw = self.redis.hget(self._key("articles"), known.canonical_url)
        data = json.loads(raw) if raw else {}
        data["last_fetched"] = datetime.now(UTC).isoformat()
        for name in ("etag", "last_modified", "lastmod_seen"):
            if validators.get(name):
                data[name] = validators[name]
        self.redis.hset(self._key("articles"), known.canonical_url, json.dumps(data))

    def add_alias(self, url: str, canonical_url: str) -> None:
        if url != canonical_url:
            self.redis.hset(self._key("aliases"), url, canonical_url)

    def has_content(self, content_hash: str) -> str | None:
        value = self.redis.hget(self._key("content"), content_hash)
        return value.decode() if value else None

    def reject(self, url: str, reason: str) -> None:
        self.redis.hset(self._key("rejected"), url, datetime.now(UTC).isoformat())

    def rejected_at(self, url: str) -> datetime | None:
        value = self.redis.hget(self._key("rejected"), url)
        return datetime.fromisoformat(value.decode()) if value else None

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

    def count(self) -> int:
        return int(self.redis.hlen(self._key("articles")))
