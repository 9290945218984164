"""Record policy: is this page a story? Decided by evidence about the page, not by its length.

A news brief of forty words, a gallery whose captions tell the story, a video page with two
written sentences are stories and become records (their `page_kind` and `word_count` let users
filter). What is dropped is what is clearly not a story: error pages served with status 200,
consent, paywall and login walls with nothing behind them, video or gallery pages with no
written text at all, and shells with less than a sentence of text. (Listings and site pages are
recognised in kind.py and extract/__init__.py, before this.)
"""

from __future__ import annotations

import re

from newscrawl.extract.reasons import DropReason
from newscrawl.extract.text import CJK_CHARS, count_words

# About one sentence: less than this is a template whose story did not load, not a story.
# The shortest real stories of the eval corpus (blog posts of one or two sentences) have 19
# and 27 words; a one-line news brief has more than this.
MIN_STORY_WORDS = 8
# Error and wall pages are short; a long text is a story that happens to mention them.
MAX_STUB_WORDS = 150

_ERROR_TITLE = re.compile(
    r"\b4(?:04|10)\b.{0,20}\b(?:error|not found|page|nicht gefunden|fehler)\b"
    r"|\b(?:error|fehler)\b.{0,10}\b4(?:04|10)\b"
    r"|page (?:not found|cannot be found|could not be found|does ?n[o']t exist)"
    r"|seite nicht gefunden|página no encontrada"
    r"|page introuvable|pagina non trovata|pagina niet gevonden", re.IGNORECASE)
# A line of a consent, paywall or login wall. Matched with `search` on short lines only.
_WALL_LINE = re.compile(
    r"\b(?:subscribe|subscriber|subscription|sign in|sign up|log ?in|register|create (?:an|a"
    r" free) account|already (?:a member|have an account)|continue reading|to read (?:this|the"
    r" full)|cookies?|consent|privacy (?:settings|policy)|accept all|manage (?:options|settings)"
    r"|enable javascript|ad ?blocker|premium|abonn\w*|anmelden|einloggen|zustimm\w*)\b",
    re.IGNORECASE)
MAX_WALL_LINE_CHARS = 200
# A written sentence: a few words closed by terminal punctuation (optionally a closing quote:
# English ” ’, German “ ‘ (its quotes open „ and close “), French and Swiss » and German «).
# Page furniture that fills a story-less template (headline, byline, "Published May 19, 2024 at
# 11:10 PM", "Share", "Photo: Agency", "More on: Tag, Tag") has none.
_SENTENCE = re.compile(r"\w+(?:\W+\w+){2,}\s*[.!?…。！？](?:[\"'”’“‘»«)\]]|\s|$)")
# Chinese and Japanese lines often end without a full stop (a blog's last line, a caption-like
# lead): a line of this many Han/kana/Hangul characters, about a sentence, is written text.
MIN_CJK_SENTENCE_CHARS = 15
# Gallery captions are often phrases without a full stop: two of them are written text.
MIN_CAPTION_LINES = 2
MIN_CAPTION_WORDS = 4


def story_verdict(text: str, kind: str, titles: list[str]) -> DropReason | None:
    """None when the page's text is a story; else the reason it is not.

    `text` is the cleaned main text (captions merged for galleries), `kind` the page kind,
    `titles` the headline candidates the page offers (h1, og:title, <title>)."""
    words = count_words(text)
    if words > MAX_STUB_WORDS:
        return None
    if any(_ERROR_TITLE.search(t) for t in titles if t):
        return "error_page"
    story_words = sum(count_words(line) for line in text.split("\n\n")
                      if not _is_wall_line(line))
    if words and story_words < MIN_STORY_WORDS:
        return "access_stub" if words >= MIN_STORY_WORDS else _short(kind)
    if words < MIN_STORY_WORDS or not _written(text, kind, [t for t in titles if t]):
        return _short(kind)
    return None


def _written(text: str, kind: str, titles: list[str]) -> bool:
    """Does the (short) text hold written prose rather than only page furniture?"""
    if _SENTENCE.search(text):
        return True
    # (not the headline: it is repeated at the top of many texts, and a shell has one too)
    if any(len(CJK_CHARS.findall(line)) >= MIN_CJK_SENTENCE_CHARS
           and not any(line.strip() in title for title in titles) for line in text.split("\n")):
        return True
    if kind == "gallery":
        lines = [line for line in text.split("\n") if count_words(line) >= MIN_CAPTION_WORDS]
        return len(lines) >= MIN_CAPTION_LINES
    return False


def _short(kind: str) -> DropReason:
    return "media_without_text" if kind in ("gallery", "video") else "empty_shell"


def _is_wall_line(line: str) -> bool:
    return len(line) <= MAX_WALL_LINE_CHARS and _WALL_LINE.search(line) is not None
