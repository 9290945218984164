"""The item that travels from the spider through the pipelines to the writer.

Everything a later step needs about one article rides inside it: the record (dataset fields),
the near-duplicate signature computed by the extraction worker, the HTTP validators and
discovery lastmod for the next revisit, and how the page was found. No step looks anything up
by URL on a shared object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newscrawl.state import Validators


@dataclass
class ArticleItem:
    """One extracted article on its way to the dataset.

    `record` holds the dataset's fields (see newscrawl.record); the pipelines may rewrite
    its identity (an alias of a known article) and version. `signature` is the MinHash values
    (uint64 bytes) or None when the text is too short to judge. `via` is the discovery source
    ('sitemap', 'feed', 'link', or None for a seed/redirect), `fetched_url` the URL the
    response came from.
    """

    record: dict[str, Any]
    fetched_url: str
    validators: Validators = field(default_factory=Validators)
    signature: bytes | None = None
    via: str | None = None

    def __repr__(self) -> str:
        # Scrapy logs items it drops or scrapes: the URL, never a megabyte of text.
        return f"ArticleItem(site={self.site!r}, url={self.url!r})"

    @property
    def site(self) -> str:
        return str(self.record.get("site", "?"))

    @property
    def url(self) -> str:
        return str(self.record.get("url") or self.fetched_url)
