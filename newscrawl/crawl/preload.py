"""Imported by the extraction pool's forkserver: imports the extractor and fills its lazy
caches once, so every worker forked from the server starts warm, and so does every worker
that replaces one (after a crash, a timeout or its task quota).

The libraries under the extractor build caches on first use, per process: dateparser
compiles a regex per locale the first time a date string matches none of them (htmldate hands
it such strings on some pages; that one call costs ~1 s), and trafilatura, htmldate, jusText
and our MinHash tables each build their own. Measured on the eval corpus's 371 real pages, a
cold process spent 5 ms a page more on its first pass than on its second: about 2 s of CPU
per worker, paid again by each replacement, and by plain trafilatura's workers too.

Warming never fails the import: a forkserver that cannot import its preload modules breaks
the pool, and a cold cache only costs time.
"""

from __future__ import annotations

import contextlib

from newscrawl.dedup.signatures import signature
from newscrawl.extract import SiteContext, extract_article

# Our own page: a story with a headline, a byline, a date written out in words, paragraphs
# and the furniture (navigation, related links, footer) the extractor has to drop.
_PAGE = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Warm-up premiere draws a crowd | Preload Daily</title>
<meta property="og:title" content="Warm-up premiere draws a crowd">
<meta name="author" content="Ada Example">
</head><body>
<nav><a href="/">Home</a> <a href="/film/">Film</a> <a href="/music/">Music</a></nav>
<article>
<h1>Warm-up premiere draws a crowd</h1>
<p class="byline">By Ada Example</p>
<p class="dateline">Published on the third of March, twenty twenty-one, 10:15 local time</p>
<p>The first screening of the season filled the old cinema on the river, where the cast
arrived an hour late and stayed long after the credits to answer questions from the floor.</p>
<p>The director said the film had taken six years to finish, most of them spent waiting for
the weather on the northern coast, and that the final scene was shot in a single afternoon.</p>
<p>Tickets for the remaining dates went on sale the next morning and were gone by noon,
according to the festival's organisers, who promised a second week of screenings.</p>
</article>
<aside><h2>Related</h2><a href="/film/other-story/">Another story</a></aside>
<footer>Copyright Preload Daily</footer>
</body></html>
"""


def warm_up() -> None:
    with contextlib.suppress(Exception):
        extract_article(_PAGE, "https://preload.example/film/warm-up-premiere/",
                        site=SiteContext("preload", "Preload Daily"))
    with contextlib.suppress(Exception):
        from htmldate.extractors import get_external_parser

        # A string no locale parses: dateparser then compiles every locale's patterns.
        get_external_parser().get_date_data("zzzz 4242 qqqq")
    with contextlib.suppress(Exception):
        signature(" ".join(f"word{n}" for n in range(40)))


warm_up()
