"""Main text: trafilatura's extraction, then our clean-up of entertainment-page boilerplate.

trafilatura removes navigation and most chrome, but the short promotional lines that
entertainment templates put between paragraphs ("Featured Video", "Related: ...", "Shop the
look", newsletter prompts, photo credits) survive because they sit inside the article body.
They are removed here only when they are short, stand-alone lines matching a known pattern,
so a sentence of the story that mentions a newsletter stays.
"""

from __future__ import annotations

import re

from newscrawl.dedup.keys import normalize_text as line_key

# Each pattern matches a whole (stripped) line. Lines longer than MAX_BOILERPLATE_CHARS are
# never removed: boilerplate is short, story paragraphs are not.
MAX_BOILERPLATE_CHARS = 160
BOILERPLATE_LINES = tuple(re.compile(p, re.IGNORECASE) for p in (
    r"advertisement|advertising|sponsored( content)?|ad|story continues below( advertisement)?",
    r"(featured|watch|related|recommended) (video|videos|stories|story|content|articles?)\b.*",
    r"(related( posts?| articles?| stories| links?| coverage| content)?|read more|read also|more"
    r"|see also|see more|also read|don't miss|must read|recommended|trending|popular|up next"
    r"|next up"
    r"|watch|lesen sie auch|auch interessant|mehr zum thema"
    # 'read also' in the other languages of the corpus's sites
    r"|les også|læs også|läs också|lees ook|(?:à )?lire aussi|lisez aussi|leggi anche"
    r"|lea también|lee también|leia também|czytaj (?:też|także)|čtěte také|lue myös)\s*:.*",
    r"(you (may|might) (also )?like|you may have missed|don't miss"
    r"|most (read|popular|viewed)( [\w ]{1,30})?"
    r"|auch interessant|das könnte sie auch interessieren|lesen sie auch|mehr zum thema"
    r"|weitere artikel)\s*:?",
    # the same labels of related-story boxes with an ellipsis, and in more languages
    r"(you (may|might) (also )?like|related (news|articles?|stories|posts?)|more stories"
    r"|ähnliche( artikel| nachrichten| beiträge| themen)?|weitere (artikel|nachrichten|themen)"
    r"|mehr themen( auf [\w.-]+)?|noticias? relacionadas?|articles? similaires"
    r"|articoli correlati)\s*(:|…|\.\.\.)?",
    # ... and in Japanese ('related keywords', 'recommended', 'read these too', 'featured
    # videos', 'popular articles')
    r"(関連(記事|キーワード|ニュース|リンク|情報)|おすすめ(情報|記事|ニュース)|(あわせて|合わせて)読みたい"
    r"|こちらもおすすめ|注目の(動画|記事|ニュース)|人気(記事|ランキング))\s*[:：]?",
    # update stamps (a date or time follows) and reading times, on a line of their own
    r"(last )?(updated|aktualisiert)( at| on| am)?\s*:?\s*(?=.*\d)[\w.,: ]{0,40}",
    r"\d{1,3}\s*(min|mins|minutes?|minuten?)\.?\s*(read|lesezeit)|(lesedauer|lesezeit|reading time)"
    r"\s*:?\s*\d{1,3}\s*(min|mins|minutes?|minuten?)\.?",
    r"filed under\s*:.*",
    # blog widgets: a category/tag box's label on its own line, WordPress's like counter
    r"(kategorien|categories|schlagwörter|schlagworte|tags)\s*:?",
    r".{0,40}\b(bloggern gefällt das|bloggers? like this)[.:]?",
    r"tell us what you think\b.*",
    r"this (article|story) has been (sent|emailed) to\b.*",
    r"shop the (look|story|post)\b.*",
    r".*\b(sign up|subscribe)\b.*\bnewsletters?\b.*",
    r".*\bnewsletters?\b.*\b(sign up|subscribe|inbox)\b.*",
    # ... and the other shapes of a newsletter box: its name alone ('Pick Six Newsletter'),
    # 'Get ... in your inbox', '... delivered to your inbox every morning by subscribing',
    # '... beim täglichen Newsletter richtig – hier entlang'
    r"([\w'’-]+ ){1,4}newsletter|(get|receive|join)\b.{0,80}\b(newsletters?|inbox)\b.{0,60}",
    r".{0,100}\b(delivered|sent)\b.{0,30}\b(to|in|into) your inbox\b.{0,60}",
    r".{0,80}\bnewsletter\b.{0,40}\b(hier|here)\b.{0,20}",
    r"(photo|photos|image|images|credit|photograph|picture|pictured|video)\s*(credit)?\s*:.*",
    r"\(?(photo|image|photograph)s? (by|courtesy of|via)\b.*\)?",
    r"[^.!?]{0,80}\b(getty images|shutterstock|ap photo|invision/ap|wireimage|filmmagic"
    r"|rex features|afp via getty)\b[^.!?]{0,40}",
    r"(click|tap) here\b.*",
    r"(continue reading|read the full story|read the original|view this post on instagram"
    r"|a post shared by\b.*|view (more|this) on (instagram|twitter|x|tiktok))\.?",
    r"(share|share this|share on|tweet|pin it|email|print|comments?)(\s*\(\d+\))?",
    r"(this|the) (article|story|post) (was|has been|originally) .*\b(published|appeared)\b.*",
    r".{0,60}\bmay (earn|receive|get) (a )?(small )?(share of sales|commission|compensation"
    r"|affiliate)\b.*",
    # affiliate disclosures, and the stamp of the WordPress Amazon-box plugins ("Letzte
    # Aktualisierung am ... / Bei den Verlinkungen handelt es sich um Affiliate Links / Bilder
    # von der Amazon Product Advertising API")
    r".*\b(amazon product advertising api|(contains|includes|handelt es sich um|enthält)"
    r" (\w+ )?affiliate[- ]links?)\b.*",
    r"(loading|loading\.\.\.|please enable javascript.*)",
    # video player controls
    r"(autoplay|auto-play)\s*:?\s*(on|off)|\d{1,2}:\d{2}(:\d{2})?",
    # sign-up widgets and their hidden success / failure messages
    r"thanks? (you )?for (signing up|subscribing)\b.*",
    r"(keep an eye on|check) your inbox\b.*",
    r"(sorry!?|oops!?)",
    r"there was (an|a problem|a) error\b.*",
    r"an error (has )?occurred\b.*",
    r"(order reprints|print article|print this (article|page)|reprints? (&|and) permissions)",
    r"(copyright|\(c\)|©)\s*(©\s*)?\d{4}\b.*|.*\ball rights reserved\.?",
    r"this copy is for your personal,? non-?commercial use only\b.*",
    r"(write to|contact) [\w .'-]{2,60} at \S+@\S+",
    # Credit lines under a story: who else reported or edited it ("Jo Poe contributed
    # reporting.", "(Reporting by ...; Editing by ...)", "With files from the wire") and
    # where its facts or picture came from ("Source: ...", "Quelle: dpa"). Metadata like the
    # byline; both benchmarks of the eval corpus with a gold body leave them out.
    r"[-–—]*\s*[^.!?]{2,100}\bcontributed (reporting|to (this|the) (report|story|article))"
    r"( (from|in) [^.!?]{1,60})?\.?",
    r"[-–—\s]*(with |additional )+(reporting|editing|writing) by\b.*",
    r"[(\[]\s*(reporting|editing|writing) by\b.*[)\]]\.?",
    r"[-–—\s]*with (files|reports|information) from [^.,;!?]{2,80}\.?",
    r"[(\[]?(sources?|quellen?|kilder?|fuentes?|fontes?|källa|källor|bron(nen)?|źródło)\s*:"
    r"[^!?]{0,60}",
    r"(follow|like) us on (facebook|twitter|x|instagram|tiktok|threads)\b.*",
    # ... and the wider family of follow and contact prompts: "Follow <outlet> on Facebook,
    # Twitter and Instagram", "Email <reporter> at ... or follow him @...", "Reach the
    # reporters on Twitter at ...", "Folgst du schon <outlet> auf WhatsApp?"
    r"(follow|folgen sie|folgt|folgst du)\b.{0,80}\b(on|auf|at|via) (facebook|twitter|x|instagram"
    r"|tiktok|threads|google news|whatsapp|bluesky|linkedin|youtube|telegram)\b.*",
    r"(reach|email|e-mail|contact|write to)\b.{0,60}\b(on twitter|at \S+@\S+|@\w+).*",
    r"(.{0,120}[.!?]\s+)?follow (him|her|them|us|me) (on (twitter|x|instagram|facebook|bluesky"
    r"|threads)|@\w+).*",
    # Paywall prompts where a story's free part ends ("This article is for subscribers
    # only", "Subscribe now", "Log in or create an account to continue"), in the languages of
    # the corpus's sites; a story sentence about subscriptions is longer or says more.
    r".{0,40}\b(subscribers?|members?)[- ]only\b.{0,40}",
    r".{0,60}\b(subscribe|log ?in|sign in|register) (now|today|to (continue|keep) reading)\b"
    r".{0,80}",
    r"already a (subscriber|member)\b.{0,80}",
    r"(log|sign) in or (create|register|sign up)\b.{0,80}",
    r".{0,80}réservée? aux abonnés.{0,40}|il vous reste \d.{0,120}|abonnez-vous\b.{0,60}",
    r".{0,60}(s[oó]lo|exclusiv[oa]s?) para (suscriptores|socios|abonados).{0,60}"
    r"|suscr[ií]bete\b.{0,60}",
    r".{0,60}\b(nur für abonnenten|jetzt abonnieren)\b.{0,60}",
    r".{0,40}(会員限定|有料会員).{0,60}",
    # Reader feedback and donation prompts under a story ("Did you find this article
    # helpful?", "Wie hat Ihnen dieser Artikel gefallen?", a rating widget's average,
    # "Independent journalism needs your support")
    r".{0,60}\b(hat|wie hat) ihnen dieser (artikel|beitrag) gefallen\b.{0,120}"
    r"|(was|did you find) this (article|story|post) (helpful|useful)\b.{0,40}"
    r"|did you (like|enjoy) this (article|story)\b.{0,60}|rate this (article|story)\b.{0,30}",
    r"(durchschnittliche bewertung|average (user |reader )?rating)\s*:\s*[\d,.]+"
    r"( (von|of|/) \d+)?",
    r".{0,60}\b(journalism|journalismus) (needs|braucht) (your|deine|ihre) (support|unterstützung)"
    r"\b.{0,40}",
    # The comment box's prompts under a story ("Leave a comment", "Please read our comment
    # policy before commenting", "Log in to comment"); a story's "declined to comment" stays.
    r"(leave|post|add|write|submit) a (comment|reply)\b.{0,60}",
    r".{0,80}\bbefore (commenting|you comment)\b.{0,40}|(would you like|want) to comment\b.{0,60}",
    r".{0,60}\bcomments? (policy|guidelines|rules)\b.{0,60}|comments are (closed|disabled)\.?",
    r"kommentar (abgeben|schreiben|verfassen)"
    r"|.{0,60}\b(log ?in|sign in|einloggen|anmelden)\b.{0,30}\b(to comment|kommentar)\w*.{0,30}",
))

# A date ('18.05.2026', '2026-05-18', '18. Mai 2026', 'May 18, 2026', '2026年5月18日', '5月18日')
# with an optional weekday, then an optional time ('17:59', '6:00 Uhr', '7:30am PDT', '01時28分').
_DATE = (r"(\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}"
         r"|\d{1,2}\.? [^\W\d_]{3,10}\.? \d{4}|[^\W\d_]{3,10}\.? \d{1,2},? \d{4}"
         r"|(\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日)\.?(\s*\([^\W\d_]{2,10}\.?\))?")
_TIME = r"\d{1,2}\s*[:.h時]\s*\d{2}(\s*分)?(\s*(uhr|[ap]\.?m\.?))?(\s+[a-z]{2,4})?"

# A line that is only a date stamp (with a time, a 'Stand:' / 'Posted' label, an update stamp
# in brackets): the story's own publication stamp, or the dates of a list of other stories
# whose headlines extraction dropped. No gold body of the eval corpus has one. Matched on the
# whole line: '30. Januar 2024' starts like a numbered list item.
DATE_LINE = re.compile(
    r"((stand|posted|published|veröffentlicht|publié|publicado|기사입력)( le| on| am)?\s*:?\s*)?"
    r"\[?\s*" + _DATE + r"([,|\s]*((at|um|à|kl\.?)\s+)?" + _TIME + r")?(\s*\([^()]{1,30}\))?"
    r"\s*\]?", re.IGNORECASE)

_BLANK_RUNS = re.compile(r"\n{3,}")
_TABLE_RULE = re.compile(r"(?=.*\|)(?=.*-{3})[|:\-\s]+|\|")
_LIST_MARKER = re.compile(r"^(?:[-*•·]|\d{1,2}[.)])\s+")


def clean_text(text: str, furniture: set[str] | frozenset[str] = frozenset()) -> str:
    """Drop boilerplate lines and tidy whitespace; paragraphs end up separated by one blank
    line (trafilatura gives one paragraph per line). `furniture` holds the line keys
    (dedup.keys.normalize_text) of the page's kicker, dek, byline and credit elements."""
    kept: list[str] = []
    seen: set[str] = set()
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if line.startswith("| "):
            # trafilatura writes table cells as '| cell |'; a layout table's cells are
            # paragraphs, and the outer bars are not text.
            line = line.removeprefix("| ").removesuffix(" |")
        # trafilatura writes list items as '- item': each item is a paragraph of the text,
        # and the marker is not a word of it (it would count in word_count).
        line = line.removeprefix("- ")
        # (nor is the row of dashes it writes under a table's header, '|---|---|')
        if not line or _TABLE_RULE.fullmatch(line) \
                or (furniture and _is_furniture(line, furniture)):
            continue
        # (a list marker the page wrote itself, '* item' or '1. item', is not either)
        bare = _LIST_MARKER.sub("", line)
        if len(bare) <= MAX_BOILERPLATE_CHARS and (
                any(p.fullmatch(bare) for p in BOILERPLATE_LINES) or DATE_LINE.fullmatch(line)):
            continue
        # Templates repeat pull quotes and captions; a repeated long line is never new text,
        # nor is one that differs only in case and punctuation (a caption that repeats a
        # sentence of the story without its full stop).
        if len(line) > 40:
            key = line_key(line)
            if key in seen:
                continue
            seen.add(key)
        kept.append(line)
    return _BLANK_RUNS.sub("\n\n", "\n\n".join(kept)).strip()


# Han, kana and Hangul characters: scripts written without spaces between words.
CJK_CHARS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def _is_furniture(line: str, furniture: set[str] | frozenset[str]) -> bool:
    key = line_key(line)
    if key in furniture:
        return True
    # A label whose value the extractor dropped: "Last updated" from "Last updated <time>".
    return 0 < len(key) <= 20 and len(key.split()) <= 3 \
        and any(f.startswith(key + " ") for f in furniture)


def drop_leading_repeats(text: str, repeats: list[str | None]) -> str:
    """Remove first lines that repeat the headline (or a kicker of it): it is metadata, and
    a text that starts with the title double-counts it. (Not the description: many sites
    reuse the lede paragraph as their meta description, and the lede is story text.)"""
    keys = {line_key(r) for r in repeats if r}
    paragraphs = text.split("\n\n")
    while len(paragraphs) > 1 and _is_title_part(line_key(paragraphs[0]), keys):
        paragraphs.pop(0)
    return "\n\n".join(paragraphs)


def _is_title_part(key: str, titles: set[str]) -> bool:
    """The headline itself, or a short kicker that social titles carry in front of it
    ('Exclusive' for 'EXCLUSIVE: ...')."""
    if key in titles:
        return True
    return 0 < len(key.split()) <= 3 and any(t.startswith(key + " ") for t in titles)


def count_words(text: str) -> int:
    """Whitespace-separated words, with each Han, kana or Hangul character counted as one
    word: those scripts do not separate words with spaces, and a character carries about as
    much text as a word does in alphabetic scripts."""
    cjk = len(CJK_CHARS.findall(text))
    if not cjk:
        return len(text.split())
    return len(CJK_CHARS.sub(" ", text).split()) + cjk
