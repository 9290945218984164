"""Why a candidate was not fetched, and why a fetched article was not written.

Every reason is a stats counter (`newscrawl/<site>/skipped/<reason>` or `.../dropped/<reason>`)
and a key of the run report's `skipped_by_reason` / `dropped_by_reason`. Extraction gives its
own reasons (newscrawl.extract) and HTTP failures `http_<status>`; the rest are listed here.
"""

from __future__ import annotations

from typing import Literal, get_args

SkipReason = Literal[
    "off_site",              # a candidate on another host than the site's
    "non_html_link",         # a file link (PDF, image, ...)
    "denied_by_site",        # matches the site entry's deny patterns
    "not_article_url",       # a link whose shape is no article's (tag, author, about page)
    "robots_disallowed",     # robots.txt forbids it
    "robots_unreachable",    # the host's robots.txt could not be read this run
    "older_than_since",      # dated before --since
    "not_an_article_before", # fetched recently and found not to be an article
    "known",                 # already in the dataset and not due for a revisit
    "offsite_redirect",      # redirected (or pointed) to another host or an internal address
    "refused",               # refused before sending for another reason (redirect limit, size)
    # Crawler-trap bounds (policy.TrapLimits), each named in the run's warning line when hit:
    "trap_url_too_long",     # a URL longer than max_url_length
    "trap_path_repetition",  # a path that repeats a segment or nests too deep
    "trap_query_variants",   # too many query-string variants of one path
    "trap_listing_depth",    # a listing beyond the depth limit (also article-shaped ones)
    "listing_cap",           # the site's listing-page budget is spent
    "site_candidate_cap",    # the site's article budget for this run is spent
    "sitemap_cap",           # the site's sitemap-file budget is spent
    "article_link_cap",      # the site's budget of stories followed from stories is spent
    "article_link_hops",     # linked from a story at the hop limit: not followed this run
]

# Skips that mean a bound was hit: the run report names them in one warning line.
LIMIT_REASONS: frozenset[str] = frozenset({
    "trap_url_too_long", "trap_path_repetition", "trap_query_variants", "trap_listing_depth",
    "listing_cap", "site_candidate_cap", "sitemap_cap", "article_link_cap",
    "article_link_hops"})

# Skips that hold for the URL itself under the site's present rules: no later run fetches it
# either, so a pending link (spider._seed_pending) skipped for one of these is cleared.
NEVER_FETCHED: frozenset[str] = frozenset({
    "off_site", "non_html_link", "denied_by_site", "not_article_url", "robots_disallowed",
    "trap_url_too_long", "trap_path_repetition"})

DropReason = Literal[
    "invalid",               # the record breaks the schema (a bug, never written)
    "duplicate_url",         # its canonical URL is already written
    "duplicate_content",     # the same text is already written at another URL
    "near_duplicate",        # a near copy, with NEWSCRAWL_DROP_NEAR_DUPLICATES on
    "unchanged",             # a revisit that found the same text
    "older_than_since",      # the page's own date is before --since
    "dataset_unwritable",    # the dataset could not be written (fetched again next run)
    "max_articles_reached",  # past --max-articles (not written; fetched again next run)
]

SKIP_REASONS: frozenset[str] = frozenset(get_args(SkipReason))
DROP_REASONS: frozenset[str] = frozenset(get_args(DropReason))

# Reasons decided before a candidate counts as discovered (the report's "discovered"
# column counts candidates that are article-shaped, on the site and allowed).
BEFORE_DISCOVERY: frozenset[str] = frozenset({
    "off_site", "non_html_link", "denied_by_site", "not_article_url", "robots_disallowed"})


def http_reason(status: int) -> str:
    return f"http_{status}"
