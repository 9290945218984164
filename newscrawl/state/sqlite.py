"""The embedded crawl state: what earlier runs already hold, kept beside the dataset in SQLite.

Stored in `<dataset>/_state/crawl.sqlite` (embedded, no server). One row per canonical URL
that is safely in the dataset: id, content hash, version, first seen, last fetched, HTTP
validators, the sitemap/feed lastmod seen, extractor version; and, per site, the stories
scheduled from other stories' links and not yet cleared (`pending`). The Parquet parts are
the truth and the state is derived from them: a part that became visible but whose commit to
the state was lost (a kill between the two) is found by `reconcile()` at the next start and its
rows are added, so state and data never disagree in a way that loses or doubles an article.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from newscrawl.state import MAX_ALIAS_HOPS, CommittedRow, KnownArticle, Validators
from newscrawl.state.parts import adopt_parts, iso_or_none

STATE_DIR = "_state"
STATE_FILE = "crawl.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    canonical_url TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    version INTEGER NOT NULL,
    published_at TEXT,
    first_seen TEXT NOT NULL,
    last_fetched TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    lastmod_seen TEXT,
    extractor_version TEXT
);
CREATE INDEX IF NOT EXISTS articles_hash ON articles(content_hash);
CREATE TABLE IF NOT EXISTS aliases (url TEXT PRIMARY KEY, canonical_url TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS parts (path TEXT PRIMARY KEY, rows INTEGER NOT NULL,
                                  committed_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rejected (url TEXT PRIMARY KEY, reason TEXT NOT NULL,
                                     at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pending (site TEXT NOT NULL, url TEXT NOT NULL,
                                    PRIMARY KEY (site, url));
"""


class SqliteCrawlState:
    """SQLite-backed record of committed articles. Single writer (see storage.lock)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        directory = self.root / STATE_DIR
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / STATE_FILE
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        # NORMAL, not FULL: in WAL mode a commit then costs no fsync (the WAL is synced at
        # checkpoints), which matters because every part file is a commit, hundreds per
        # flush when a crawl finds older stories. What a power cut can take back is the last
        # commits, never the database's consistency, and those are re-derived: their parts
        # were fsynced before the commit, and `reconcile()` adopts parts the state lacks.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._robots: dict[str, bytes] = {}

    def close(self) -> None:
        self._db.close()

    def reconcile(self) -> int:
        """Add the rows of visible parts the state has not recorded; returns parts adopted."""
        known = {row[0] for row in self._db.execute("SELECT path FROM parts")}
        return adopt_parts(self.root, known.__contains__, self.commit_part)

    def commit_part(self, relpath: str, rows: Iterable[CommittedRow]) -> None:
        """Record that the rows of a now-visible part are in the dataset (one transaction)."""
        committed = list(rows)
        now = datetime.now(UTC).isoformat()
        with self._transaction():
            for entry in committed:
                row, extra = entry.row, entry.validators
                fetched_text = iso_or_none(row.get("crawled_at")) or now
                self._db.execute(
                    """INSERT INTO articles (canonical_url, id, content_hash, version,
                           published_at, first_seen, last_fetched, etag, last_modified,
                           lastmod_seen, extractor_version)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT(canonical_url) DO UPDATE SET
                           content_hash = excluded.content_hash,
                           version = MAX(articles.version, excluded.version),
                           last_fetched = excluded.last_fetched,
                           etag = COALESCE(excluded.etag, articles.etag),
                           last_modified = COALESCE(excluded.last_modified,
                                                    articles.last_modified),
                           lastmod_seen = COALESCE(excluded.lastmod_seen, articles.lastmod_seen),
                           extractor_version = excluded.extractor_version""",
                    (row["canonical_url"], row["id"], row["content_hash"], row.get("version", 1),
                     iso_or_none(row.get("published_at")), fetched_text, fetched_text,
                     extra.etag, extra.last_modified, extra.lastmod_seen,
                     row.get("extractor_version")),
                )
                url = row.get("url")
                if url and url != row["canonical_url"]:
                    self._db.execute(
                        "INSERT OR REPLACE INTO aliases (url, canonical_url) VALUES (?, ?)",
                        (url, row["canonical_url"]))
            self._db.execute(
                "INSERT OR REPLACE INTO parts (path, rows, committed_at) VALUES (?, ?, ?)",
                (relpath, len(committed), now))

    def known(self, url: str) -> KnownArticle | None:
        """The committed article at this canonical URL, or reached from it through recorded
        aliases (redirect chains, AMP copies, duplicates), following a few hops."""
        seen: set[str] = set()
        for _ in range(MAX_ALIAS_HOPS):
            row = self._db.execute(
                """SELECT canonical_url, id, content_hash, version, lastmod_seen, published_at,
                          last_fetched, etag, last_modified FROM articles
                   WHERE canonical_url = ?""", (url,)).fetchone()
            if row:
                return KnownArticle(*row)
            seen.add(url)
            alias = self._db.execute("SELECT canonical_url FROM aliases WHERE url = ?",
                                     (url,)).fetchone()
            if alias is None or alias[0] in seen:
                return None
            url = alias[0]
        return None

    def touch(self, canonical_url: str, validators: Validators | None = None) -> None:
        """Record a revisit that found the article unchanged (304 or same text)."""
        validators = validators or Validators()
        self._db.execute(
            """UPDATE articles SET last_fetched = ?, etag = COALESCE(?, etag),
                   last_modified = COALESCE(?, last_modified),
                   lastmod_seen = COALESCE(?, lastmod_seen)
               WHERE canonical_url = ?""",
            (datetime.now(UTC).isoformat(), validators.etag, validators.last_modified,
             validators.lastmod_seen, canonical_url))

    def has_content(self, content_hash: str) -> str | None:
        """The canonical URL of a committed article with this content hash, if any."""
        row = self._db.execute(
            "SELECT canonical_url FROM articles WHERE content_hash = ? LIMIT 1",
            (content_hash,)).fetchone()
        return row[0] if row else None

    def add_alias(self, url: str, canonical_url: str) -> None:
        """Remember that `url` shows the article at `canonical_url` (a redirect source, an
        AMP copy, a syndicated duplicate), so a later run does not fetch it again.

        Safe to record before the article is committed: `known()` only answers for aliases
        whose article is in the dataset, so an uncommitted one is fetched again.
        """
        if url != canonical_url:
            self._db.execute("INSERT OR REPLACE INTO aliases (url, canonical_url) VALUES (?, ?)",
                             (url, canonical_url))

    def reject(self, url: str, reason: str) -> None:
        """Remember that a fetched candidate was not an article (listing, thin gallery or
        video, not HTML), so the next runs need not fetch it again for a while."""
        self._db.execute("INSERT OR REPLACE INTO rejected (url, reason, at) VALUES (?, ?, ?)",
                         (url, reason, datetime.now(UTC).isoformat()))

    def rejected(self, url: str) -> tuple[datetime, str] | None:
        """(when, why) this URL was last found not to be an article, or None."""
        row = self._db.execute("SELECT at, reason FROM rejected WHERE url = ?",
                               (url,)).fetchone()
        return (datetime.fromisoformat(row[0]), row[1]) if row else None

    def add_pending(self, site: str, urls: Iterable[str]) -> None:
        with self._transaction():
            self._db.executemany("INSERT OR IGNORE INTO pending (site, url) VALUES (?, ?)",
                                 [(site, url) for url in urls])

    def pending(self, site: str) -> list[str]:
        return [row[0] for row in self._db.execute(
            "SELECT url FROM pending WHERE site = ? ORDER BY url", (site,))]

    def drop_pending(self, site: str, urls: Iterable[str]) -> None:
        with self._transaction():
            self._db.executemany("DELETE FROM pending WHERE site = ? AND url = ?",
                                 [(site, url) for url in urls])

    def save_robots(self, host: str, body: bytes) -> None:
        """Keep this run's robots.txt of a host (for the spider's own check)."""
        self._robots[host] = body

    def load_robots(self, host: str) -> bytes | None:
        return self._robots.get(host)

    def claim_content(self, content_hash: str, canonical_url: str) -> str:
        """One writer per dataset: the run's own in-memory set already decides, so every
        claim succeeds. (The Redis state makes this atomic across workers.)"""
        return canonical_url

    def canonical_urls(self) -> Iterator[str]:
        for (url,) in self._db.execute("SELECT canonical_url FROM articles"):
            yield url

    def forget(self, canonical_urls: Iterable[str], parts: Iterable[str]) -> None:
        with self._transaction():
            self._db.executemany("DELETE FROM articles WHERE canonical_url = ?",
                                 [(url,) for url in canonical_urls])
            self._db.executemany("DELETE FROM parts WHERE path = ?", [(p,) for p in parts])

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
