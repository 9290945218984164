"""Which fictional story each site of the network carries, and which story plays which edge case.

Slugs come from newscrawl/demo/articles.toml and tests/network/articles.toml. builder.py turns
this plan into routes and expectations; the self-check tests use it to find the edge cases.
"""

from __future__ import annotations

from dataclasses import dataclass

HOSTS = {"sitemapsite": "127.0.0.2", "feedsite": "127.0.0.3", "linksite": "127.0.0.4"}
TRACKING_QUERY = (
    "?utm_source=twitter&utm_medium=social&utm_campaign=spring&fbclid=IwAR0xFakeClickId42"
)
SLOW_SECONDS = 2.0

# -- site A "sitemapsite": robots.txt -> sitemaps ---------------------------------------------
SITEMAP_SITE_STORIES = (
    "renee-sol-acoustic-tour-small-town-theaters",
    "glass-orchard-opening-weekend-box-office",
    "harbor-lights-renewed-season-three-new-showrunner",
    "calloway-brandt-mira-valdane-vineyard-wedding",
    "noor-ashworth-salt-archive-optioned",
    "lantern-hours-reunite-after-nine-years",
    "juniper-okoye-lisbridge-festival-competition",
    "midnight-at-fairmont-finale-recap",
    "ollie-marchbank-launches-podcast",
    "dex-ferrante-night-shift-album-review",
    "kestrel-awards-nominations-announced",
    "cold-harbor-six-sequel-first-trailer",
    "halcyon-brightwater-merger-agreed",  # syndicated copy (SYNDICATED below)
    "palisade-cinema-community-buyout",  # same event (SAME_EVENT below)
    "renee-sol-castleton-show-postponed",  # same event
)
PRIVATE_STORY = "embargoed-kestrel-host-reveal-draft"  # under robots-disallowed /private/
FAIL_ONCE_STORY = "juniper-okoye-lisbridge-festival-competition"  # 500, then 200
TRACKED_STORY_A = "calloway-brandt-mira-valdane-vineyard-wedding"  # home links it with utm/fbclid
COMMENTS_LINK_STORY = "lantern-hours-reunite-after-nine-years"  # home links it with #comments
AMP_LINKED_STORY = "midnight-at-fairmont-finale-recap"  # home links its AMP copy

# -- site B "feedsite": RSS + Atom -------------------------------------------------------------
FEED_SITE_STORIES = (
    "sabine-kovac-launches-fashion-line",
    "theo-castellane-cooking-show-night-market",
    "larkspur-valley-festival-lineup",
    "bastian-greer-cast-as-villain",
    "museum-of-screen-costume-exhibit",
    "annika-roux-memoir-cafe-years",
    "island-of-strangers-reality-show-twist",
    "velvet-static-debut-vinyl-reissue",
    "halcyon-brightwater-studio-merger",
    "mira-valdane-stage-debut-rehearsals",
    "anthology-series-casting-announced",
    "paper-lanterns-game-animated-series",
    "school-choir-cover-goes-viral",
    "kestrel-nominations-glass-orchard-leads-field",  # syndicated copy
    "wexmoor-residents-buy-their-picture-palace",  # same event
    "quiet-ward-cancelled-after-one-season",  # same event
)
# A gallery with captions and a video page with a written story are stories (records of kind
# gallery / video); a gallery of bare photos is not (no written text at all).
FEED_SITE_MEDIA = ("kestrel-awards-red-carpet-photos", "cold-harbor-six-cast-interview-video")
FEED_SITE_THIN = ("kestrel-awards-backstage-photo-wall",)
RSS_ITEMS = 7  # the newest stories go to RSS, the rest (and the media pages) to Atom
CP1252_STORY = "annika-roux-memoir-cafe-years"  # windows-1252 bytes, charset only in <meta>
SLOW_STORY = "theo-castellane-cooking-show-night-market"  # answers after SLOW_SECONDS
DUPLICATED_STORY = "island-of-strangers-reality-show-twist"  # also served at DUPLICATE_PATH
DUPLICATE_PATH = "/partners/syndication/island-of-strangers-twist.html"
FEED_MISSING_PATH = "/2023/11/02/story-that-was-taken-down/"  # linked, answers 404

# -- site C "linksite": links only -------------------------------------------------------------
# On the links-only site (no sitemap, no feed), linked only from LINK_SITE_STORIES[0]'s
# related box: reachable from the home page only by following links from stories.
LINK_SITE_HIDDEN = "dex-ferrante-neon-sign-restored"
LINK_SITE_STORIES = (
    "dex-ferrante-flea-market-bakery-sign",
    "annika-roux-adopts-three-legged-greyhound",
    "sabine-kovac-roller-disco-birthday",
    "ollie-marchbank-engaged-florist",
    "bastian-greer-marathon-lighthouse-costume",
    "renee-sol-hometown-diner-surprise",
    "harbor-lights-season-three-set-photos",
    "island-of-strangers-eliminated-contestant-speaks",
    "after-dark-castellane-second-season",
    "last-train-first-look-images",
    "brainstorm-lane-champion-streak-ends",
    "corner-laundromat-reboot-cast-reunion",
    "harbor-lights-third-season-new-showrunner",  # syndicated copy
    "renee-sol-laundromat-gig-bus-breakdown",  # same event
    "quiet-ward-fans-petition-cancellation",  # same event
)
BROKEN_STORY = "brainstorm-lane-champion-streak-ends"  # damaged HTML
REDIRECTED_STORY = "corner-laundromat-reboot-cast-reunion"  # reached through REDIRECT_CHAIN
REDIRECT_CHAIN = ("/go/corner-laundromat/", "/r/corner-laundromat-2024/")  # 301, then 302
TRACKED_STORY_C = "bastian-greer-marathon-lighthouse-costume"
LINK_MISSING_PATH = "/celebrity/rumor-we-quietly-deleted/"  # linked, answers 404
WRONG_SITEMAP_HINT = "/sitemap.xml"  # listed in the sites file, answers 404


# -- near-duplicate pairs, across sites ----------------------------------------------------------


@dataclass(frozen=True)
class Syndication:
    """One wire story run by two sites: `original` as filed on `original_site`, and the copy
    `copy_site` publishes `hours_later` under its own slug and headline (`title`). The copy
    changes a word or two (`edits`: (old, new) pairs, each found exactly once in the original),
    may cut the closing paragraph (`trim_last`) and may end with a paragraph of its own
    (`closing`). Page layout and title suffix differ because the sites do. builder.py derives
    the copy; exactly one of the two records must come out flagged `duplicate_of` the other."""

    original_site: str
    original: str
    copy_site: str
    copy: str
    title: str
    edits: tuple[tuple[str, str], ...]
    trim_last: bool = False
    closing: str | None = None
    hours_later: float = 3.0


@dataclass(frozen=True)
class SameEvent:
    """Two outlets' own reports of one event (tests/network/articles.toml): same names, numbers
    and `shared_quote`, written independently. Neither record may be flagged a duplicate."""

    first: tuple[str, str]  # (site, slug)
    second: tuple[str, str]
    shared_quote: str


SYNDICATED = (
    Syndication(
        "feedsite",
        "halcyon-brightwater-studio-merger",
        "sitemapsite",
        "halcyon-brightwater-merger-agreed",
        title="Halcyon and Brightwater Studios Agree to a Merger",
        edits=(
            ("have agreed to merge.", "have agreed to a merger."),
            ("Not everyone is pleased.", "Not everyone is happy."),
        ),
        trim_last=True,
    ),
    Syndication(
        "sitemapsite",
        "kestrel-awards-nominations-announced",
        "feedsite",
        "kestrel-nominations-glass-orchard-leads-field",
        title="Kestrel Award Nominations: The Glass Orchard Leads the Field With Nine",
        edits=(
            ("announced before dawn on Tuesday", "announced early on Tuesday"),
            ("There were the usual surprises.", "There were the customary surprises."),
        ),
        closing="The full list of nominees is published on the Kestrel Academy's website. "
        "Encore Gazette will follow the ceremony live from the red carpet.",
    ),
    Syndication(
        "sitemapsite",
        "harbor-lights-renewed-season-three-new-showrunner",
        "linksite",
        "harbor-lights-third-season-new-showrunner",
        title="Harbor Lights Is Renewed for Season Three, and a New Showrunner Takes Over",
        edits=(
            ("viewers last autumn", "viewers last fall"),
            ("confirmed the news on Friday", "confirmed the news late on Friday"),
        ),
        trim_last=True,
        closing="Velvet Rope Report has asked the network whether the harbor master survives. "
        "We are not holding our breath.",
        hours_later=26.0,
    ),
)
SAME_EVENT = (
    SameEvent(
        ("sitemapsite", "palisade-cinema-community-buyout"),
        ("feedsite", "wexmoor-residents-buy-their-picture-palace"),
        shared_quote="It belongs to the town again",
    ),
    SameEvent(
        ("linksite", "renee-sol-laundromat-gig-bus-breakdown"),
        ("sitemapsite", "renee-sol-castleton-show-postponed"),
        shared_quote="We had a guitar and nowhere to be",
    ),
    SameEvent(
        ("feedsite", "quiet-ward-cancelled-after-one-season"),
        ("linksite", "quiet-ward-fans-petition-cancellation"),
        shared_quote="We ran out of time, not stories",
    ),
)
