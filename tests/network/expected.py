"""What a correct crawl of the local news network produces: the truth the integration tests
compare against.

Shapes:
- `ExpectedArticle`: one record the crawl must write (URL, title, UTC date, authors, text checks).
- `NonArticle`: a page that may be fetched but must not become a record, with its `category`.
- `SiteExpectation`: both lists for one site, plus `never_fetch` (robots-disallowed URLs).
- `NetworkExpectation`: every site, keyed by site key, with lookups across the network, and the
  `StoryPair`s a near-duplicate detector is judged on (`near_duplicate_pairs`: one wire story on
  two sites, exactly one record flagged; `same_event_pairs`: two outlets' own reports of one
  event, neither flagged).

`builder.py` fills these in while it lays out each site, from the same fictional articles it
renders, so a page and its expectation cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from newscrawl.demo.chrome import (
    AD_LABEL,
    FEATURED_VIDEO_LABEL,
    NEWSLETTER_PROMPT,
    article_comments,
)
from newscrawl.demo.model import Article

# Why a fetched page is not an article (a category, not the crawler's exact drop reason).
LISTING = "listing"  # home page, section page, paginated listing
TAXONOMY = "taxonomy"  # tag and author pages
STATIC = "static"  # about / contact pages
THIN = "thin"  # gallery or video page with no written text at all
BINARY = "binary"  # PDF, JPEG: not HTML at all
MISSING = "missing"  # linked, but answers 404
CATEGORIES = (LISTING, TAXONOMY, STATIC, THIN, BINARY, MISSING)

# Kinds of StoryPair.
SYNDICATED = "syndicated"  # one wire story on two sites: a near-duplicate
SAME_EVENT = "same_event"  # two outlets' own stories about one event: not a duplicate


@dataclass(frozen=True)
class ExpectedArticle:
    """One record the crawl must produce.

    `url` is the canonical URL the record carries. `aliases` are other URLs that lead to the same
    record (AMP copy, tracking-parameter links, redirect sources) and must not add records.
    `duplicate_urls` serve the same text under their own canonical: exactly one record must come
    out of `url` + `duplicate_urls`, and either URL is acceptable on it.
    `text_snippets` must each appear in the extracted text; `not_in_text` must not. `text` is
    the story body as the page shows it, paragraphs separated by blank lines (social embeds,
    which extraction may keep, are not part of it).
    """

    site: str
    slug: str
    url: str
    title: str
    published_at: datetime
    authors: tuple[str, ...]
    text_snippets: tuple[str, ...]
    not_in_text: tuple[str, ...]
    section: str
    modified_at: datetime | None = None
    aliases: tuple[str, ...] = ()
    duplicate_urls: tuple[str, ...] = ()
    language: str = "en"
    text: str = ""

    @property
    def urls(self) -> tuple[str, ...]:
        """Every URL that may appear on this record: the canonical one, then duplicates."""
        return (self.url, *self.duplicate_urls)


@dataclass(frozen=True)
class NonArticle:
    """A URL that must not produce a record; `category` is one of CATEGORIES."""

    site: str
    url: str
    category: str


@dataclass(frozen=True)
class SiteExpectation:
    """Everything known about one site of the network."""

    key: str
    name: str
    base_url: str
    articles: tuple[ExpectedArticle, ...]
    non_articles: tuple[NonArticle, ...]
    never_fetch: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoryPair:
    """Two stories, (site, slug) each, on two different sites; `kind` is SYNDICATED or
    SAME_EVENT."""

    kind: str
    first: tuple[str, str]
    second: tuple[str, str]


@dataclass(frozen=True)
class NetworkExpectation:
    """All sites of the network, keyed by site key, and the story pairs across them."""

    sites: dict[str, SiteExpectation]
    pairs: tuple[StoryPair, ...] = ()

    @property
    def articles(self) -> list[ExpectedArticle]:
        return [a for site in self.sites.values() for a in site.articles]

    @property
    def non_articles(self) -> list[NonArticle]:
        return [n for site in self.sites.values() for n in site.non_articles]

    @property
    def never_fetch(self) -> list[str]:
        return [url for site in self.sites.values() for url in site.never_fetch]

    def article(self, site: str, slug: str) -> ExpectedArticle:
        """The expected record for `slug` on `site`; KeyError when there is none."""
        for expected in self.sites[site].articles:
            if expected.slug == slug:
                return expected
        raise KeyError(f"no expected article {slug!r} on site {site!r}")

    def story_pairs(self, kind: str) -> list[tuple[ExpectedArticle, ExpectedArticle]]:
        """The expected records of every pair of `kind` (SYNDICATED or SAME_EVENT)."""
        return [
            (self.article(*pair.first), self.article(*pair.second))
            for pair in self.pairs
            if pair.kind == kind
        ]

    @property
    def near_duplicate_pairs(self) -> list[tuple[ExpectedArticle, ExpectedArticle]]:
        """(original, syndicated copy): a crawl must flag exactly one of the two, either way."""
        return self.story_pairs(SYNDICATED)

    @property
    def same_event_pairs(self) -> list[tuple[ExpectedArticle, ExpectedArticle]]:
        """Independent reports of one event: a crawl must flag neither."""
        return self.story_pairs(SAME_EVENT)

    def find(self, url: str) -> ExpectedArticle | None:
        """The expected record reachable at `url` (canonical, duplicate or alias), if any."""
        for expected in self.articles:
            if url in expected.urls or url in expected.aliases:
                return expected
        return None


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def text_snippets(article: Article, words: int = 8) -> tuple[str, ...]:
    """Phrases that must survive extraction: the opening of the first and middle paragraphs, the
    close of the last one, and (when there is one) a phrase around the first non-ASCII character,
    which only survives if the page was decoded with the right charset."""
    body = article.body or article.gallery  # a gallery's story is its captions
    first, middle, last = body[0].split(), body[len(body) // 2].split(), body[-1].split()
    snippets = [" ".join(first[:words]), " ".join(middle[:words]), " ".join(last[-words:])]
    for paragraph in body:
        tokens = paragraph.split()
        hit = next((i for i, token in enumerate(tokens) if not token.isascii()), None)
        if hit is not None:
            start = max(0, hit - 2)
            snippets.append(" ".join(tokens[start : start + 5]))
            break
    return tuple(dict.fromkeys(snippets))


def boilerplate_snippets(article: Article, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """Page furniture around `article` that must not leak into its text."""
    # Gallery and video pages carry no "Featured Video" box (their media is the story).
    video_box = (FEATURED_VIDEO_LABEL,) if article.kind in ("article", "liveblog") else ()
    return (
        AD_LABEL,
        NEWSLETTER_PROMPT,
        *video_box,
        article_comments(article)[0].text,
        *extra,
    )


def expect_article(
    site: str,
    url: str,
    article: Article,
    *,
    aliases: Sequence[str] = (),
    duplicate_urls: Sequence[str] = (),
    extra_boilerplate: Sequence[str] = (),
) -> ExpectedArticle:
    """The expected record for `article` served at canonical `url` on `site`."""
    return ExpectedArticle(
        site=site,
        slug=article.slug,
        url=url,
        title=article.title,
        published_at=utc(article.published),
        modified_at=utc(article.modified) if article.modified else None,
        authors=tuple(article.author_names),
        text_snippets=text_snippets(article),
        not_in_text=boilerplate_snippets(article, extra_boilerplate),
        section=article.section,
        aliases=tuple(aliases),
        duplicate_urls=tuple(duplicate_urls),
        text=article.text,
    )
