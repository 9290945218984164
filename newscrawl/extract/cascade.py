"""When trafilatura's fast mode is not enough: the signals that send a page to its full cascade.

Fast mode (no comparison with readability and jusText) gives the same text as the full cascade
on most pages for ~15% less time. It goes wrong in two ways we can see from its result:

- the text is short (the caller's word floor): it missed most of the story;
- it found no story container and gathered the page's loose paragraphs instead. trafilatura
  looks for the story in containers its `BODY_XPATH` recognises (an `<article>`, a div whose
  class or id names the entry, post, story or main content). On a page with none, its
  recovery collects `<p>`, quotes and tables from the whole page, and the story's
  subheadings and lists are lost. Where the story sits in a block whose class says
  "teaser" (a CMS's `div.teaser_blog_text` around `div#article_maincontent`), the full
  cascade's recovery prunes that block, finds almost nothing, and takes readability's
  text, which keeps them. Elsewhere the full cascade keeps the fast result (same text,
  one more pass): on the eval corpus about 2% of pages take this path, and none got worse.
"""

from __future__ import annotations

from lxml import etree, html
from trafilatura.xpaths import BODY_XPATH


def gathered_loose_paragraphs(tree: html.HtmlElement, body: etree._Element | None) -> bool:
    """Whether a fast-mode result looks like trafilatura's loose-paragraph recovery.

    `body` is the result's tree (`Document.body`), `tree` the page it was extracted from.
    A result with a heading or a list came from a container; otherwise the page is asked
    whether it has any container trafilatura recognises (a few XPath queries, so only for
    results without headings or lists: about a third of pages)."""
    if body is None or next(body.iter("head", "list"), None) is not None:
        return False
    return not any(next(iter(expr(tree)), None) is not None for expr in BODY_XPATH)
