"""Unique copies of real news pages, for the corpus mode of bench/crawl_throughput.py.

The pages come from a corpus folder given on the command line (its `html/*.html.gz`, read at
run time and kept in memory only: nothing is copied into the repository). A benchmark of a
few thousand pages needs each real page several times, and the crawl must treat every copy
as a story of its own, so each copy is changed in three ways:

- its own URL on a local site, and its rel=canonical rewritten to that URL (a real page's
  canonical names its real host, which the crawl ignores as off-site, or a relative path,
  which would make every copy of it one article);
- a quarter of the words in its visible text (any script) replaced by other words of the
  same page (a different draw per copy): the normalised text differs (exact dedup keeps it)
  and so do nearly all 5-word shingles (two copies' Jaccard is ~0.1, far under the
  near-duplicate threshold of 0.6), while markup, text length and vocabulary stay the real
  page's, so the extractors do the same work on it. Pages whose text has few spaces (CJK)
  or comes from their JSON-LD keep more in common: on the eval corpus 8 of 371 pages give
  copies that the crawl flags as near-duplicates (still written) and one (its text from a
  script) gives exact duplicates, dropped as `duplicate_content` and counted;
- a sentence naming the copy inserted before the first closing `</p>`, so two copies of a
  page with almost no text still differ.

Scripts, styles, comments, tags and attributes are left as they are.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from newscrawl.extract.decode import decode_html

# A tag (scripts, styles and comments whole, so their content is never touched) or a word
# of visible text in any script (letters only; CJK runs between punctuation count as one
# word). Entities (&nbsp;) are not words: the look-behind skips them.
_TAG_OR_WORD = re.compile(
    r"(<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<[^>]*>)"
    r"|(?<![&#\w])([^\W\d_]{2,})", re.S | re.I)
_CANONICAL = re.compile(r"<link\b[^>]*\brel\s*=\s*[\"']?canonical\b[^>]*>", re.I)
_FIRST_P_END = re.compile(r"</p\s*>", re.I)
SWAP_SHARE = 0.25


@dataclass(frozen=True)
class SourcePage:
    name: str  # file stem in the corpus, e.g. "shb-04a6711caa7c"
    html: str  # decoded as the crawl decodes it
    encoding: str  # the page's own encoding: copies are served in it, as the page was
    words: tuple[str, ...]  # the words of its visible text, the pool swaps draw from


def load_corpus(folder: Path) -> list[SourcePage]:
    """Every `html/*.html.gz` under `folder`, sorted by name (so a seed gives the same
    copies on any machine)."""
    files = sorted((folder / "html").glob("*.html.gz"))
    if not files:
        raise SystemExit(f"{folder}: no html/*.html.gz files; give the corpus folder "
                         "(the one with manifest.jsonl and html/)")
    pages = []
    for path in files:
        text, encoding = decode_html(gzip.decompress(path.read_bytes()))
        words = tuple(m.group(2) for m in _TAG_OR_WORD.finditer(text) if m.group(2))
        pages.append(SourcePage(path.name.removesuffix(".html.gz"), text, encoding, words))
    return pages


def corpus_urls(folder: Path) -> dict[str, str]:
    """Page name -> its original URL, from manifest.jsonl when there is one (for slugs)."""
    manifest = folder / "manifest.jsonl"
    if not manifest.exists():
        return {}
    out = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            name = Path(entry.get("html", "")).name.removesuffix(".html.gz")
            out[name] = entry.get("url", "")
    return out


def make_copy(page: SourcePage, url: str, copy_id: int, seed: int) -> bytes:
    """The page as served at `url`: canonical rewritten, words swapped, a sentence added,
    encoded as the page was (characters the encoding lacks become references)."""
    rng = random.Random(seed * 1_000_003 + copy_id)
    pool = page.words or ("copy",)

    def swap(match: re.Match[str]) -> str:
        if match.group(1) is not None or rng.random() >= SWAP_SHARE:
            return match.group(0)
        return pool[rng.randrange(len(pool))]

    html = _TAG_OR_WORD.sub(swap, page.html)
    canonical = f'<link rel="canonical" href="{url}">'
    html, found = _CANONICAL.subn(canonical, html, count=1)
    if not found:
        html = html.replace("</head>", canonical + "</head>", 1)
    sentence = f" Benchmark copy {copy_id} of page {page.name}."
    html = _FIRST_P_END.sub(lambda m: sentence + m.group(0), html, count=1)
    return html.encode(page.encoding, "xmlcharrefreplace")


def copy_slug(original_url: str, name: str) -> str:
    """A readable path segment from the page's original URL (its last segment)."""
    last = [s for s in re.split(r"[/?#]", original_url.split("://", 1)[-1])[1:] if s]
    slug = re.sub(r"[^a-z0-9]+", "-", (last[-1] if last else name).lower()).strip("-")
    slug = re.sub(r"-?(html?|php|aspx?)$", "", slug)
    return slug[:60] or name
