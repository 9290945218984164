"""Load fictional articles from a TOML file (by default the bundled `articles.toml`).

File format: one `[[article]]` table per story with the fields of `model.Article`; `authors` is a
list of names or `{name, role}` tables; `published`/`modified` are TOML datetimes with an offset;
`body` is either a list of paragraphs or one string whose paragraphs are separated by blank lines
(line breaks inside a paragraph become spaces).
"""

from __future__ import annotations

import re
import tomllib
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from newscrawl.demo.model import Article, Author, SocialPost

_FIELDS = {
    "slug", "title", "dek", "authors", "published", "modified", "section", "tags", "image",
    "image_credit", "social", "gallery", "kind", "body",
}  # fmt: skip


def load_articles(path: Path | str | None = None) -> list[Article]:
    """Parse an articles TOML file; `None` reads the bundled demo articles.

    Raises ValueError naming the article and field when an entry is malformed.
    """
    if path is None:
        text = (
            resources.files("newscrawl.demo").joinpath("articles.toml").read_text(encoding="utf-8")
        )
        source = "newscrawl/demo/articles.toml"
    else:
        text = Path(path).read_text(encoding="utf-8")
        source = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{source} is not valid TOML: {exc}") from exc
    articles = [_parse_article(entry, source) for entry in data.get("article", [])]
    slugs = [a.slug for a in articles]
    duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
    if duplicates:
        raise ValueError(
            f"{source}: article slugs must be unique; repeated: {', '.join(duplicates)}"
        )
    return articles


@cache
def demo_articles() -> tuple[Article, ...]:
    """The bundled articles, parsed once per process."""
    return tuple(load_articles())


def _parse_article(entry: dict[str, Any], source: str) -> Article:
    slug = entry.get("slug", "<no slug>")
    unknown = set(entry) - _FIELDS
    if unknown:
        raise ValueError(f"{source}: article {slug!r} has unknown fields {sorted(unknown)}")
    for key in ("slug", "title", "dek", "authors", "published", "section", "body"):
        if key not in entry:
            raise ValueError(f"{source}: article {slug!r} needs a {key!r} field")
    for key in ("published", "modified"):
        if key in entry and not (
            isinstance(entry[key], datetime) and entry[key].tzinfo is not None
        ):
            raise ValueError(
                f"{source}: article {slug!r} field {key!r} must be a datetime with an offset"
            )
    return Article(
        slug=slug,
        title=entry["title"],
        dek=entry["dek"],
        authors=tuple(_parse_author(a) for a in entry["authors"]),
        published=entry["published"],
        modified=entry.get("modified"),
        section=entry["section"],
        tags=tuple(entry.get("tags", ())),
        image=entry.get("image"),
        image_credit=entry.get("image_credit", ""),
        social=tuple(SocialPost(**post) for post in entry.get("social", ())),
        gallery=tuple(entry.get("gallery", ())),
        kind=entry.get("kind", "article"),
        body=split_paragraphs(entry["body"]),
    )


def _parse_author(raw: str | dict[str, str]) -> Author:
    if isinstance(raw, str):
        return Author(raw)
    return Author(raw["name"], raw.get("role"))


def split_paragraphs(body: str | list[str]) -> tuple[str, ...]:
    """Paragraphs from a list (kept) or a string (split on blank lines, whitespace collapsed)."""
    chunks = body if isinstance(body, list) else re.split(r"\n\s*\n", body)
    return tuple(" ".join(chunk.split()) for chunk in chunks if chunk.strip())
