"""The data the demo pages are rendered from: an outlet and its articles.

Everything here is fictional; `render` and `feeds` turn these objects into HTML and XML.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

ARTICLE_KINDS = ("article", "gallery", "video", "liveblog")
LAYOUTS = ("wordpress", "publisher", "gossip")
PATH_STYLES = ("dated", "section")


def slugify(text: str) -> str:
    """`"Renée Sol Live"` -> `"renee-sol-live"`: ASCII, lower case, hyphen separated."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@dataclass(frozen=True)
class Author:
    """A byline person; `role` (e.g. "Senior Editor") is shown beside the name by some layouts."""

    name: str
    role: str | None = None

    @property
    def slug(self) -> str:
        return slugify(self.name)


@dataclass(frozen=True)
class SocialPost:
    """An embedded social post; `network` is "instagram" or "twitter"."""

    network: str
    handle: str
    display_name: str
    text: str


@dataclass(frozen=True)
class Article:
    """One story. `published`/`modified` are timezone-aware; `body` is plain-text paragraphs.

    For a liveblog each body paragraph is one update; for a gallery `gallery` holds the captions.
    """

    slug: str
    title: str
    dek: str
    authors: tuple[Author, ...]
    published: datetime
    section: str
    body: tuple[str, ...]
    modified: datetime | None = None
    tags: tuple[str, ...] = ()
    image: str | None = None
    image_credit: str = ""
    social: tuple[SocialPost, ...] = ()
    gallery: tuple[str, ...] = ()
    kind: str = "article"

    def __post_init__(self) -> None:
        if self.kind not in ARTICLE_KINDS:
            raise ValueError(
                f"article {self.slug!r}: kind must be one of {ARTICLE_KINDS}, not {self.kind!r}"
            )
        if self.published.tzinfo is None:
            raise ValueError(f"article {self.slug!r}: published needs a timezone offset")

    @property
    def author_names(self) -> list[str]:
        return [a.name for a in self.authors]

    @property
    def text(self) -> str:
        """The body as one string, paragraphs separated by blank lines."""
        return "\n\n".join(self.body)


@dataclass(frozen=True)
class Outlet:
    """A fictional publication: its name, where it lives and how its pages look.

    `base_url` has no trailing slash. `sections` maps section slug -> label, in nav order.
    `path_style` "dated" gives `/2024/05/14/slug/`, "section" gives `/music/slug/`. `tags` are the
    trending tags linked from the navigation bar.
    """

    name: str
    base_url: str
    tagline: str
    sections: dict[str, str]
    layout: str = "wordpress"
    path_style: str = "dated"
    language: str = "en"
    rss_path: str | None = "/feed/"
    atom_path: str | None = None
    amp: bool = False
    tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.layout not in LAYOUTS:
            raise ValueError(f"outlet {self.name!r}: layout must be one of {LAYOUTS}")
        if self.path_style not in PATH_STYLES:
            raise ValueError(f"outlet {self.name!r}: path_style must be one of {PATH_STYLES}")

    def article_path(self, article: Article) -> str:
        if self.path_style == "section":
            return f"/{article.section}/{article.slug}/"
        return f"/{article.published:%Y/%m/%d}/{article.slug}/"

    def url(self, path: str) -> str:
        return self.base_url + path

    def article_url(self, article: Article) -> str:
        return self.url(self.article_path(article))

    @staticmethod
    def amp_path(article: Article) -> str:
        return f"/amp/{article.slug}/"

    @staticmethod
    def author_path(author: Author) -> str:
        return f"/author/{author.slug}/"

    @staticmethod
    def tag_path(tag: str) -> str:
        return f"/tag/{slugify(tag)}/"

    @staticmethod
    def section_path(section: str, page: int = 1) -> str:
        return f"/{section}/" if page == 1 else f"/{section}/page/{page}/"
