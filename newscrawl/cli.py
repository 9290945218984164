"""`newscrawl` command line: crawl, sites, demo, extract, compact."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

from newscrawl.sites import SitesFileError, load_sites, select_sites

logger = logging.getLogger(__name__)

LOAD_HINT = """\
Load it:
  duckdb:  SELECT * FROM read_parquet('{out}/**/*.parquet', hive_partitioning=true);
  pandas:  pandas.read_parquet('{out}')
  polars:  polars.read_parquet('{out}/**/*.parquet', hive_partitioning=True)
  python:  newscrawl.load('{out}')   # newest version of each article, as a pyarrow Table
"""


def _settings(args: argparse.Namespace, extra: dict[str, Any] | None = None) -> Any:
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    for pair in getattr(args, "set", None) or []:
        name, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"newscrawl: -s expects NAME=VALUE, got {pair!r}")
        settings.set(name.strip(), value, priority="cmdline")
    for name, value in (extra or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawl(settings: Any, spider_args: dict[str, Any], spider: str = "news") -> dict[str, Any]:
    """Run one crawl in this process; returns the final Scrapy stats."""
    from scrapy.crawler import CrawlerProcess

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider)
    process.crawl(crawler, **spider_args)
    process.start()
    return crawler.stats.get_stats() if crawler.stats else {}


def cmd_crawl(args: argparse.Namespace) -> int:
    extra: dict[str, Any] = {"NEWSCRAWL_OUT": str(args.out)}
    if args.max_articles:
        extra["CLOSESPIDER_ITEMCOUNT"] = args.max_articles
    spider = "news"
    if args.redis:
        from newscrawl.distributed import SPIDER, distributed_settings

        extra.update(distributed_settings(args.redis, Path(args.out), args.idle_exit,
                                          args.worker))
        spider = SPIDER
    elif problem := _hold_lock(Path(args.out)):
        print(f"newscrawl: {problem}", file=sys.stderr)
        return 3
    try:
        sites = select_sites(load_sites(args.sites), args.site)
        if args.since:
            from newscrawl.spiders.news import parse_since

            parse_since(args.since)
    except (SitesFileError, ValueError) as exc:
        print(f"newscrawl: {exc}", file=sys.stderr)
        return 2
    spider_args = {"sites": ",".join(s.key for s in sites), "sites_file": args.sites,
                   "since": args.since}
    stats = run_crawl(_settings(args, extra), spider_args, spider)
    return _exit_code(stats)


def _hold_lock(out: Path) -> str | None:
    """Take the dataset's writer lock for this whole process, or say in one sentence who
    holds it. Taken before the crawl starts, so two crawls started together cannot both
    get past this point."""
    from newscrawl.storage.lock import DatasetLockedError, WriterLock

    try:
        WriterLock(out).acquire()
    except DatasetLockedError as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot write the dataset at {out}: {exc.strerror}; choose another --out"
    return None


EXIT_SILENT_SITE = 4


def _exit_code(stats: dict[str, Any]) -> int:
    reason = stats.get("finish_reason", "")
    if stats.get("newscrawl_alerts"):
        print(f"newscrawl: {stats['newscrawl_alerts']} site(s) yielded no articles although "
              "they usually do; see ALERT lines and the run report", file=sys.stderr)
        return EXIT_SILENT_SITE
    if reason in ("finished", "closespider_itemcount", "shutdown"):
        return 0
    print(f"newscrawl: crawl ended with {reason or 'an error'}; see the log above",
          file=sys.stderr)
    return 1


def cmd_seed(args: argparse.Namespace) -> int:
    from newscrawl.distributed import seed

    try:
        sites = select_sites(load_sites(args.sites), args.site)
    except SitesFileError as exc:
        print(f"newscrawl: {exc}", file=sys.stderr)
        return 2
    count = seed(args.redis, Path(args.out), sites)
    print(f"seeded {count} site(s) for {args.out} on {args.redis}")
    return 0


def cmd_sites(args: argparse.Namespace) -> int:
    try:
        sites = load_sites(args.sites)
    except SitesFileError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    for site in sites:
        hints = [f"{n}={len(getattr(site, n))}" for n in ("sitemaps", "feeds", "sections")
                 if getattr(site, n)]
        print(f"{site.key:<22} {site.name:<28} {site.home}  {' '.join(hints)}")
    print(f"{len(sites)} sites OK", file=sys.stderr)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from newscrawl.demo.run import run_demo

    out = Path(args.out)
    code = run_demo(out, lambda settings_extra, spider_args: run_crawl(
        _settings(args, settings_extra), spider_args))
    if code == 0:
        print(f"\nDemo dataset written to {out}\n" + LOAD_HINT.format(out=out))
    return code


def cmd_extract(args: argparse.Namespace) -> int:
    from newscrawl.extract.batch import extract_files

    return extract_files(args.page, args.url, args.input, args.output, args.boilerplate)


def cmd_compact(args: argparse.Namespace) -> int:
    from newscrawl.storage.compact import compact_dataset
    from newscrawl.storage.health import DamagedPartError

    try:
        result = compact_dataset(Path(args.out), strict=args.strict)
    except DamagedPartError as exc:
        print(f"newscrawl: {exc}; run without --strict to skip it", file=sys.stderr)
        return 1
    print(result.describe())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newscrawl", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    crawl = sub.add_parser("crawl", help="crawl sites into the Parquet dataset")
    crawl.add_argument("site", nargs="*", help="site keys (default: every site in the file)")
    crawl.add_argument("--sites", help="sites file (default: the built-in one)")
    crawl.add_argument("--out", default="datasets/news", help="dataset directory")
    crawl.add_argument("--since", help="skip articles dated before this (YYYY-MM-DD)")
    crawl.add_argument("--max-articles", type=int, help="stop after writing N articles")
    crawl.add_argument("-s", "--set", action="append", metavar="NAME=VALUE",
                       help="override a Scrapy/newscrawl setting (repeatable)")
    crawl.add_argument("--redis", metavar="URL",
                       help="run as a distributed worker on this Redis (after `newscrawl seed`)")
    crawl.add_argument("--idle-exit", type=int, default=30, metavar="SECONDS",
                       help="distributed: exit after the shared queue stays empty this long")
    crawl.add_argument("--worker", help="distributed: worker id in part-file names "
                                        "(default: host-pid)")
    crawl.set_defaults(func=cmd_crawl)

    seed = sub.add_parser("seed", help="distributed: start a run by seeding sites into Redis")
    seed.add_argument("site", nargs="*")
    seed.add_argument("--sites")
    seed.add_argument("--out", default="datasets/news")
    seed.add_argument("--redis", required=True, metavar="URL")
    seed.set_defaults(func=cmd_seed)

    sites = sub.add_parser("sites", help="list and validate a sites file")
    sites.add_argument("--sites", help="sites file (default: the built-in one)")
    sites.set_defaults(func=cmd_sites)

    demo = sub.add_parser("demo", help="crawl the bundled offline demo site")
    demo.add_argument("--out", default="datasets/demo")
    demo.add_argument("-s", "--set", action="append", metavar="NAME=VALUE")
    demo.set_defaults(func=cmd_demo)

    extract = sub.add_parser("extract", help="extract records from saved pages")
    extract.add_argument("page", nargs="?", help="a saved page (.html or .html.gz)")
    extract.add_argument("--url", help="the page's URL (required with PAGE)")
    extract.add_argument("--input", help="JSONL of {\"url\":..., \"path\":...} lines")
    extract.add_argument("--output", help="write JSONL here instead of stdout")
    extract.add_argument("--boilerplate", action="append", default=[],
                         help="extra CSS selector to remove (repeatable)")
    extract.set_defaults(func=cmd_extract)

    compact = sub.add_parser("compact", help="merge small part files, keep newest versions")
    compact.add_argument("--out", default="datasets/news")
    compact.add_argument("--strict", action="store_true",
                         help="fail on a damaged part file instead of skipping it")
    compact.set_defaults(func=cmd_compact)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130


def run() -> NoReturn:
    """The `newscrawl` command: `main()`, then a prompt exit.

    When a crawl returns, everything it wrote is durable (part files fsynced and renamed,
    state committed and closed, report written, extraction workers stopped); tearing down
    the interpreter's objects after that takes ~0.4 s more for nothing, on every scheduled
    run. `main()` itself returns normally, for callers in the same process (the tests)."""
    code = main()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
