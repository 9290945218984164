"""Scrapy settings for newscrawl. Read top to bottom, this is the whole crawl in order.

Every newscrawl knob is a `NEWSCRAWL_*` setting, overridable with `-s NAME=VALUE` from both
`newscrawl crawl` and `scrapy crawl news`.
"""

from newscrawl import __version__

BOT_NAME = "newscrawl"
# The distributed spider exists only when scrapy-redis (the `distributed` extra) is installed.
SPIDER_MODULES = ["newscrawl.crawl.spider", "newscrawl.crawl.distributed_spider"]

# -- politeness: safe to run every hour against real sites --------------------------------
USER_AGENT = (f"newscrawl/{__version__} (+https://github.com/newscrawl/newscrawl; "
              "news dataset crawler)")
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 32          # many sites in parallel ...
CONCURRENT_REQUESTS_PER_DOMAIN = 4  # ... but few at a time on any one of them
DOWNLOAD_DELAY = 0.5
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2  # 5xx, 408, 429 and timeouts, the default codes
# The spider's errback says in one warning line what failed; Scrapy's give-up line repeats it.
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"
REDIRECT_ENABLED = True
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = False
# No way into an unattended crawl from outside: Scrapy's telnet console, and the HTTP server
# that Scrapy 2.19 starts by default to run Python code sent to it (token-protected, with a
# job file left in the user's profile directory by a killed run).
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
# Sitemap and listing requests first in, articles out as soon as found (see spider).
DEPTH_PRIORITY = 0

# -- the flow: spider -> extraction (worker processes) -> validate -> dedup -> Parquet ------
# An article callback yields one item; Scrapy's default of 100 parallel item slots per
# response only costs the reactor task bookkeeping (28% of its CPU, bench/crawl_throughput).
CONCURRENT_ITEMS = 1
ITEM_PIPELINES = {
    "newscrawl.crawl.pipelines.ValidatePipeline": 100,
    "newscrawl.crawl.pipelines.DedupPipeline": 200,
    "newscrawl.crawl.pipelines.ParquetPipeline": 900,
}
DOWNLOADER_MIDDLEWARES = {
    # First of all: no request leaves its site or reaches an internal address.
    "newscrawl.crawl.middlewares.SiteBoundaryMiddleware": 50,
    # Scrapy's robots.txt check with two fixes: concurrent requests to a host whose robots.txt
    # is still loading all get its rules, and an unreachable robots.txt blocks the host.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newscrawl.crawl.robots.StrictRobotsTxtMiddleware": 100,
    # Scrapy's, without decoding every page to look for a refresh tag (refresh.py).
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "newscrawl.crawl.refresh.QuickMetaRefreshMiddleware": 580,
    # above RedirectMiddleware (600): sees each 3xx before it is followed
    "newscrawl.crawl.middlewares.RedirectAliasMiddleware": 650,
}
EXTENSIONS = {
    # Owns the dataset run, the extraction pool and the report (opened and closed there).
    "newscrawl.crawl.services.CrawlServices": 500,
}

# -- newscrawl knobs -----------------------------------------------------------------------
NEWSCRAWL_OUT = "datasets/news"          # dataset directory
NEWSCRAWL_SITES_FILE = ""                # empty: the built-in sites file
NEWSCRAWL_SITES: list[str] = []          # keys to crawl; empty: every site in the file
NEWSCRAWL_MAX_ARTICLES = 0              # write exactly this many articles, then stop; 0: all
NEWSCRAWL_SINCE = ""                     # skip articles dated before this (YYYY-MM-DD)
NEWSCRAWL_EXTRACT_WORKERS = -1           # extraction processes; -1 = one per core, 0 = inline
NEWSCRAWL_EXTRACT_TIMEOUT = 30.0         # seconds before a stuck extraction is killed
NEWSCRAWL_EXTRACT_TASK = "newscrawl.crawl.pool.extract_task"  # (body, url, ...) -> Extraction
NEWSCRAWL_FLUSH_ROWS = 500               # rows buffered before a part file is written ...
NEWSCRAWL_FLUSH_SECONDS = 60.0           # ... or once the oldest of them waited this long
NEWSCRAWL_MAX_SITEMAPS_PER_SITE = 50     # newest first; bounds date-sharded sitemap indexes
NEWSCRAWL_MAX_LISTING_DEPTH = 3          # link-following depth from home/sections
NEWSCRAWL_MAX_LISTING_PAGES_PER_SITE = 200
# Stories linked from stories (related boxes, in-text links): auto = only for sites whose
# sitemaps and feeds list nothing (always, never); hops from a story found by a sitemap, feed
# or listing; article requests per site and run made that way.
NEWSCRAWL_FOLLOW_ARTICLE_LINKS = "auto"
NEWSCRAWL_MAX_ARTICLE_LINK_HOPS = 3
NEWSCRAWL_MAX_ARTICLE_LINKS_PER_SITE = 2000
# Crawler-trap bounds (crawl/policy.py TrapLimits); each hit is counted and named at the end.
NEWSCRAWL_MAX_ARTICLES_PER_SITE = 20000  # article requests per site and run, newest first
NEWSCRAWL_MAX_URL_LENGTH = 1024
NEWSCRAWL_MAX_PATH_SEGMENTS = 16
NEWSCRAWL_MAX_SEGMENT_REPEATS = 3        # /a/b/a/b/a/ : a path that keeps growing
NEWSCRAWL_MAX_QUERY_VARIANTS = 10        # ?variant=1, 2, 3 ... of one path
NEWSCRAWL_REVISIT_HOURS = 48.0          # known articles this young are re-checked ...
NEWSCRAWL_REVISIT_INTERVAL_MINUTES = 60.0  # ... at most this often (conditional requests)
NEWSCRAWL_REJECT_RECHECK_HOURS = 24.0    # non-article pages are not refetched before this
NEWSCRAWL_NEAR_DUPLICATE_WINDOW_DAYS = 30  # publication-date window of the MinHash index
NEWSCRAWL_DROP_NEAR_DUPLICATES = False   # False: keep them, flagged with duplicate_of
NEWSCRAWL_WORKER_ID = "w0"               # part-file name component (distributed mode)
NEWSCRAWL_STOP_GRACE_SECONDS = 10.0     # after SIGINT/SIGTERM: in-flight pages get this long
NEWSCRAWL_PROGRESS = "auto"              # auto (live on a terminal), on, off
NEWSCRAWL_PROGRESS_INTERVAL = 10.0       # seconds between progress log lines without one
NEWSCRAWL_ARCHIVE = True                 # raw pages as WARC in <out>/_archive/ (README: why on)
NEWSCRAWL_ARCHIVE_MAX_BYTES = 1 << 30    # a WARC file is finished at this size

LOG_LEVEL = "INFO"
LOG_INSTALL_ROOT_HANDLER = True
