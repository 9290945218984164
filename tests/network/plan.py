"""Which fictional story each site of the network carries, and which story plays which edge case.

Slugs come from newscrawl/demo/articles.toml and tests/network/articles.toml. builder.py turns
this plan into routes and expectations; the self-check tests use it to find the edge cases.
"""

from __future__ import annotations

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
)
FEED_SITE_THIN = ("kestrel-awards-red-carpet-photos", "cold-harbor-six-cast-interview-video")
RSS_ITEMS = 7  # the newest stories go to RSS, the rest (and the thin pages) to Atom
CP1252_STORY = "annika-roux-memoir-cafe-years"  # windows-1252 bytes, charset only in <meta>
SLOW_STORY = "theo-castellane-cooking-show-night-market"  # answers after SLOW_SECONDS
DUPLICATED_STORY = "island-of-strangers-reality-show-twist"  # also served at DUPLICATE_PATH
DUPLICATE_PATH = "/partners/syndication/island-of-strangers-twist.html"
FEED_MISSING_PATH = "/2023/11/02/story-that-was-taken-down/"  # linked, answers 404

# -- site C "linksite": links only -------------------------------------------------------------
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
)
BROKEN_STORY = "brainstorm-lane-champion-streak-ends"  # damaged HTML
REDIRECTED_STORY = "corner-laundromat-reboot-cast-reunion"  # reached through REDIRECT_CHAIN
REDIRECT_CHAIN = ("/go/corner-laundromat/", "/r/corner-laundromat-2024/")  # 301, then 302
TRACKED_STORY_C = "bastian-greer-marathon-lighthouse-costume"
LINK_MISSING_PATH = "/celebrity/rumor-we-quietly-deleted/"  # linked, answers 404
WRONG_SITEMAP_HINT = "/sitemap.xml"  # listed in the sites file, answers 404
