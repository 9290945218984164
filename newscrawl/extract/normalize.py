"""Normalisation of the messy values pages give for titles and authors.

Each rule exists for an input seen on real pages; tests/extract/test_normalize.py holds one
example per rule.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from newscrawl.dedup.keys import INVISIBLE, normalize_text

# Separators between a headline and the site name in <title> / og:title.
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||–|—|-|::|·|•|»|/|\*)\s+|\s*\|\s*")

# "By", and its forms in the languages news sites commonly use, optionally after a verb.
_BY_PREFIX = re.compile(
    r"^\s*(?:(?:written|posted|reported|published|words|story|text|geschrieben|verfasst"
    r"|publié|escrito|scritto)\s+"
    # or a lower-case label naming a section or partner title ('capital von Jane Doe'): a
    # name never starts in lower case, so this cannot eat a first name
    r"|(?-i:[a-zäöüß][\w+-]*)\s+(?=(?:by|von|par|por|door|di|da|av|af)\s))?"
    r"(?:(?:by|von|par|por|door|di|da|av|af)(?:\s*:\s*|\s+)|by(?=[A-Z])"
    r"|(?:autor(?:in)?|author|text|words|redaktion|reporter)\s*:\s*)", re.IGNORECASE)
# Split several authors in one string: "A, B and C", "A & B", "A; B", "A - Team".
_AUTHOR_SPLIT = re.compile(
    r"\s*(?:;|\||&|\band\b|\bund\b|\bet\b(?!\.)|\by\b(?!\.)|,|\s[-–—]\s|/)\s*",
    re.IGNORECASE)
# A byline often runs on into the date: cut at the first digit or month name.
_DATE_TAIL = re.compile(
    r"\s*(?:\b(?:on|at|le|el|am|il)\s+)?(?:\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d"
    r"|\b(?:updated|published|posted|veröffentlicht|aktualisiert)\b).*$", re.IGNORECASE)
# Name particles that stay lower-case inside a name.
_MONTHS = frozenset(("january", "february", "march", "april", "may", "june", "july", "august",
                     "september", "october", "november", "december"))
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_EMAIL_WITH_NAME = re.compile(r"^\S+@\S+\s*\(([^)]+)\)$")
_PARTICLES = frozenset(("de", "da", "di", "del", "della", "van", "von", "der", "den", "le",
                        "la", "du", "dos", "das", "bin", "ibn", "al", "el", "y", "ten", "ter"))
# Words that mark a job title or a role rather than a name ("Jane Doe, Senior Film Editor").
_ROLE_WORDS = frozenset((
    "editor", "editors", "editorial", "senior", "chief", "deputy", "associate", "contributing",
    "contributor", "contributors", "correspondent", "reporter", "reporters", "writer", "writers",
    "staff", "columnist", "critic", "producer", "director", "managing", "executive", "news",
    "desk", "team", "digital", "features", "entertainment", "music", "film", "tv", "television",
    "culture", "style", "fashion", "beauty", "politics", "sports", "photographer", "photography",
    "photo", "photos", "intern", "freelance", "freelancer", "special", "guest", "host", "anchor",
    "analyst", "assistant", "lead", "head", "updated", "published", "posted", "wire", "wires",
    "newsroom", "the", "of", "for", "at",
))
_NOT_A_NAME = re.compile(
    r"https?://|www\.|@|\w\.[a-z]{2,6}\b|\d|\b(?:facebook|twitter|instagram|linkedin|email"
    r"|e-mail|whatsapp|pinterest|tiktok|share|follow|subscribe|photo|photos|image|images|foto"
    r"|fotos|bild|getty|shutterstock|illustration)\b|^(?:admin|administrator|staff|editor|editors|webmaster|"
    r"guest|anonymous|unknown|none|null)$", re.IGNORECASE)
# A credit line for a picture names its photographer and agency, never the story's author;
# its parts would otherwise pass as names once split at the "/".
_PICTURE_CREDIT = re.compile(
    r"^\s*(?:photo(?:graph(?:y|s)?|s)?|pictures?|images?|foto(?:s|grafie)?|bild(?:er)?|illustrations?"
    r"|video|(?:photo\s+|image\s+)?credits?)\b\s*(?:credit|by|von|:|\||©)", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# News agencies and syndicating outlets whose name follows a reporter's in copied stories
# ('Joe Doe Washington Post', 'Jane Roe, Associated Press'): a byline is cut where one starts.
_WIRES = ("Associated Press", "Reuters", "AFP", "Agence France-Presse", "Bloomberg News",
          "dpa", "ANSA", "EFE", "Kyodo", "Xinhua", "PA Media",
          "Canadian Press", "Tribune News Service", "Washington Post", "New York Times",
          "Los Angeles Times", "Chicago Tribune", "USA Today", "Wall Street Journal",
          "Variety", "Deadline", "Billboard", "Hollywood Reporter")
_HANDLE = re.compile(r"(?<!\S)@\w+")
_NOT_A_CREDIT = re.compile(r"https?://|www\.|@|\d|\b(?:facebook|twitter|instagram|linkedin"
                           r"|e-?mail|whatsapp|pinterest|tiktok|share|follow|subscribe)\b",
                           re.IGNORECASE)
# Words a byline widget shows without a name: 'By', a form's 'Name' label.
_LABELS = frozenset(("by", "von", "par", "por", "door", "name", "author", "autor", "autorin",
                     "posted", "written", "published"))


def collapse(text: str) -> str:
    """NFKC + whitespace collapse, without the invisible break hints (soft hyphens) that
    would otherwise stay in a title; the comparison form for titles and names."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", INVISIBLE.sub("", text))).strip()


@lru_cache(maxsize=8192)
def title_key(text: str) -> str:
    """Case- and punctuation-insensitive key, for deciding whether two titles agree.

    The one text key (dedup.keys.normalize_text), cached: reconciliation compares every
    candidate with every other and with the site's names, so one page asks for the same few
    keys a hundred times or more."""
    return normalize_text(text)


def strip_site_suffix(title: str, site_names: list[str]) -> str:
    """Remove a ' | Site Name' style prefix or suffix when it names the site.

    Only segments that match a known site name (og:site_name, JSON-LD publisher, the site
    entry's name, the domain) are dropped, so headlines with a dash in them survive. A
    tagline after the site name goes with it ('Headline - Site - Art, Design, DIY').
    """
    title = collapse(title)
    names: set[str] = set()
    for name in site_names:
        if not name:
            continue
        names.add(title_key(name))
        # a site name that carries its own tagline: 'My Magazine - Art, Design, DIY'
        names.add(title_key(_TITLE_SEPARATORS.split(collapse(name))[0]))
    names |= {n.replace(" ", "") for n in names}
    names.discard("")
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return _strip_glued_name(title, site_names)

    def is_name(part: str) -> bool:
        key = title_key(part)
        return key in names or key.replace(" ", "") in names

    flags = [is_name(p) for p in parts]
    if not any(flags) or all(flags):
        return title
    if flags[0]:
        # 'Site - Headline': drop the leading name(s)
        start = next(i for i, flag in enumerate(flags) if not flag)
        kept = parts[start:]
        if any(is_name(p) for p in kept[1:]):
            kept = kept[:next(i for i, p in enumerate(kept) if is_name(p))]
    else:
        # 'Headline - Site [- tagline]': drop from the first name on
        kept = parts[:flags.index(True)]
    first, last = kept[0], kept[-1]
    start = title.find(first)
    end = title.find(last, start) + len(last)
    return title[start:end].strip() if start >= 0 and end > start else title


# A site name glued to the headline by a colon without spaces, as Japanese and Chinese
# sites write it: 'Headline：Site' (titles are NFKC-collapsed first, which makes the
# full-width colon ':'; a bar, glued or not, is a separator already).
_GLUED_SEPARATOR = re.compile(r"\s*:\s*$")


def _strip_glued_name(title: str, site_names: list[str]) -> str:
    """'Headline:Site' -> 'Headline' when 'Site' is one of the names the site declares. Only
    a declared name is cut: 'Interview:Quinn' keeps its colon on any other site."""
    for name in sorted((collapse(n) for n in site_names if n), key=len, reverse=True):
        if len(title) <= len(name) or title[-len(name):].casefold() != name.casefold():
            continue
        head = title[:-len(name)]
        if (glue := _GLUED_SEPARATOR.search(head)) and (kept := head[:glue.start()].strip()):
            return kept
    return title


_WIRE_KEYS = frozenset(map(title_key, _WIRES))


def leading_runs(title: str) -> set[str]:
    """Keys of a title's leading runs of separated segments, the whole excepted:
    'Headline - Section | Site' -> keys of 'Headline' and 'Headline - Section'."""
    parts = _TITLE_SEPARATORS.split(collapse(title))
    return {key for i in range(1, len(parts)) if (key := title_key(" ".join(parts[:i])))}


def title_runs(title: str) -> set[str]:
    """Keys of the leading and trailing runs of a title's separated segments, the whole
    excepted: 'Headline - Section | Site' -> keys of 'Headline', 'Headline - Section',
    'Section | Site' and 'Site'. A source whose title is a headline plus a site name the page
    never declares still vouches for the headline this way."""
    parts = _TITLE_SEPARATORS.split(collapse(title))
    runs = {" ".join(parts[:i]) for i in range(1, len(parts))}
    runs |= {" ".join(parts[i:]) for i in range(1, len(parts))}
    return {key for run in runs if (key := title_key(run))}


def clean_author(raw: str, org_names: tuple[str, ...] = ()) -> list[str]:
    """Split one author string into clean names.

    'By JANE DOE, SENIOR FILM EDITOR and John Roe' -> ['Jane Doe', 'John Roe'];
    'By Joe Doe, Silver Screen Daily Dec 13, 2016' -> ['Joe Doe', 'Silver Screen Daily']
    (an outlet the page names is removed later, when a person is named; news agencies are
    known and dropped here).
    """
    text = collapse(raw)
    if _PICTURE_CREDIT.match(text):
        return []
    if _URL_ONLY.match(text):
        return []  # article:author and JSON-LD often give a profile URL, not a name
    email_name = _EMAIL_WITH_NAME.match(text)
    if email_name:  # RSS 2.0 <author>: "jane@outlet.example (Jane Doe)"
        text = email_name.group(1)
    text = _strip_decoration(text)
    text = re.sub(r"\s+(?:is|was)\s+an?\s+.*$", "", text, flags=re.IGNORECASE)  # bios
    text = _DATE_TAIL.sub("", text)
    names: list[str] = []
    org_keys = {title_key(o) for o in org_names if o} | _WIRE_KEYS
    for part in _AUTHOR_SPLIT.split(text):
        part = _BY_PREFIX.sub("", part.strip(" .:-–—[]")).strip(" .:-–—[]")
        if not part or _NOT_A_NAME.search(part) or part.casefold() in _LABELS:
            continue
        if part.split()[0].casefold() in ("the", "our", "a", "an"):
            continue  # "the Outlet Staff": a credit, not a person
        if title_key(part) in _WIRE_KEYS:
            continue  # "Jane Roe, Associated Press": the agency is a credit, not a co-author
        words = _name_words(part.split(), org_keys)
        if all(w.casefold().strip(".") in _ROLE_WORDS for w in words):
            continue  # "Senior Film Editor" after a comma
        if len(words) > 5:
            continue  # a sentence, not a name
        names.append(_fix_case(" ".join(words)))
    return names


def _name_words(words: list[str], org_keys: set[str]) -> list[str]:
    """The name part of a byline fragment: cut at a job title, the site's name or a
    run of capitals after a mixed-case name ('Meg Roe NEW YORK DAILY NEWS', 'Gina Roe CEO',
    'Jane Doe Senior Business Reporter', 'Adam Roe PhillyVoice Staff')."""
    mixed = bool(words) and not words[0].isupper()
    if len(words) > 2 and words[-1].casefold().strip(".,") in _MONTHS:
        words = words[:-1]  # a byline running on into its date: 'Jane Q. Doe December'
    for index, word in enumerate(words):
        if index == 0:
            continue
        bare = word.casefold().strip(".,")
        starts_org = any(title_key(" ".join(words[index:index + n])) in org_keys
                         for n in range(1, 5))
        letters = word.strip(".,")
        if bare in _ROLE_WORDS or starts_org or (mixed and len(letters) > 1 and letters.isupper()):
            kept = words[:index]
            # A role phrase often starts with a capitalised adjective ("Senior Business
            # Reporter", "Parliamentary editor"); a name rarely has more than three words.
            return kept[:2] if len(kept) > 2 and index < len(words) else kept
    return words


def clean_credit(raw: str) -> str | None:
    """An outlet or desk credit as the page gives it, for pages that name no person:
    'By MND Staff' -> 'MND Staff', 'The Associated Press', 'BWW News Desk', 'Staff Writer'.
    None for what is not a credit (a link, a picture credit, a label, a sentence)."""
    text = collapse(raw)
    if _PICTURE_CREDIT.match(text) or _URL_ONLY.match(text):
        return None
    text = _DATE_TAIL.sub("", _strip_decoration(text)).strip(" .,:;|-–—[]")
    words = text.split()
    if not words or len(words) > 6 or len(text) > 60 or text.casefold() in _LABELS \
            or _NOT_A_CREDIT.search(text):
        return None
    return _fix_case(text)


def _strip_decoration(text: str) -> str:
    """A byline without its 'By', parenthesised asides ('(Reuters)') and social handles."""
    text = _BY_PREFIX.sub("", text)
    text = re.sub(r"\s*\((?:[^)]*)\)", "", text)
    return _HANDLE.sub("", text)  # "April Glaser @aprilaser"


def is_strong_name(name: str) -> bool:
    """Two to five words, each capitalised or a particle or an initial: a person's name as
    bylines write it. Single tokens ('amw', 'Nils', 'Germany') are weak evidence."""
    words = name.split()
    if not 2 <= len(words) <= 5:
        return False
    return all(w[:1].isupper() or w.casefold() in _PARTICLES for w in words)


def clean_authors(values: list[str], org_names: tuple[str, ...] = ()) -> list[str]:
    """Clean and de-duplicate a list of author strings, keeping first-seen order."""
    out: list[str] = []
    seen: set[str] = set()
    for value in values:
        for name in clean_author(value, org_names):
            key = title_key(name)
            if key and key not in seen:
                seen.add(key)
                out.append(name)
    return out


def _fix_case(name: str) -> str:
    """Title-case names written in capitals ('JANE DOE'); leave mixed case ('DeShawn') and
    single acronyms ('AFP', 'MND') alone."""
    if " " not in name:
        return name
    if name.isupper() or name.islower():
        return " ".join(_cap(w) for w in name.split())
    return name


def _cap(word: str) -> str:
    """'o'brien' -> "O'Brien", 'smith-jones' -> 'Smith-Jones'."""
    def cap(part: str) -> str:
        return part[:1].upper() + part[1:].lower()

    return "-".join("'".join(cap(q) for q in p.split("'")) for p in word.split("-"))


def is_person_name(name: str, org_names: list[str]) -> bool:
    """True when the name is not one of the organisation names (site, publisher)."""
    key = title_key(name)
    return bool(key) and all(key != title_key(o) for o in org_names if o)
