"""When trafilatura's fast mode is not enough: the signals that send a page to its full cascade.

Fast mode (no comparison with readability and jusText) gives the same text as the full cascade
on most pages for ~15% less time. It goes wrong in two ways we can see from its result:

- the text is short (the caller's word floor): it missed most of the story;
- the story sits in a block whose class or id says "teaser" (a CMS's `div.teaser_blog_text`
  around `div#article_maincontent`) and no container trafilatura recognises (its
  `BODY_XPATH`: an `<article>`, a div whose class or id names the entry, post, story or main
  content) holds it. trafilatura then recovers loose text from the whole page, and does it
  differently by mode: fast mode keeps teaser blocks but collects only their `<p>`, quotes
  and tables, so the story's subheadings and lists are lost; the full cascade prunes teaser
  blocks, finds almost nothing, and takes readability's text, which keeps them.

The second check runs only on results without a heading or a list (about a third of pages),
and the XPath queries only where a teaser block holds the text: on the eval corpus it costs
~0.15 ms per page and sends one page in 371 to the full cascade.
"""

from __future__ import annotations

from lxml import etree, html
from trafilatura.xpaths import BODY_XPATH, TEASER_DISCARD_XPATH

from newscrawl.extract.text import count_words


def story_in_teaser_block(tree: html.HtmlElement, body: etree._Element | None) -> bool:
    """Whether a fast-mode result is the loose paragraphs of a story in a teaser block.

    `body` is the result's tree (`Document.body`), `tree` the page it was extracted from:
    the result has no heading and no list, a teaser-classed block of the page holds at least
    half its words in `<p>` elements, and no container trafilatura recognises is there."""
    if body is None or next(body.iter("head", "list"), None) is not None:
        return False
    words = count_words(" ".join(body.itertext()))
    for expr in TEASER_DISCARD_XPATH:
        for block in expr(tree):
            if 2 * sum(count_words(p.text_content()) for p in block.iter("p")) >= words:
                return not any(next(iter(find(tree)), None) is not None for find in BODY_XPATH)
    return False
