"""`newscrawl import` and `newscrawl reextract`: argument parsing and one-line errors.

Exit codes as elsewhere: 2 for a bad argument or input, 3 when another process writes the
dataset, 130 when interrupted (the run resumes where it stopped when started again).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

IMPORT_HELP = "build records from existing WARC files (local, globs, http(s) URLs, CC-NEWS)"
REEXTRACT_HELP = "re-run the current extractor over the dataset's archived pages"


def add_archive_commands(sub: Any) -> None:
    """Register the two subcommands on the `newscrawl` parser's subparsers."""
    imp = sub.add_parser("import", help=IMPORT_HELP)
    imp.add_argument("warc", nargs="*", metavar="WARC",
                     help="WARC files: paths, glob patterns or http(s) URLs")
    imp.add_argument("--sites", required=True, metavar="FILE",
                     help="sites file: only pages of these sites (home host + domains)")
    imp.add_argument("--out", required=True, help="dataset directory")
    imp.add_argument("--cc-news", metavar="YYYY-MM",
                     help="also import CC-NEWS's WARC files of this month")
    imp.add_argument("--cc-news-base", default=None, metavar="URL",
                     help="where CC-NEWS is served (default https://data.commoncrawl.org/)")
    imp.add_argument("--max-files", type=int, metavar="N", help="import at most N files")
    imp.add_argument("--list", action="store_true",
                     help="only print the WARC files that would be imported")
    imp.add_argument("-s", "--set", action="append", metavar="NAME=VALUE",
                     help="NEWSCRAWL_EXTRACT_WORKERS, NEWSCRAWL_FLUSH_ROWS, ... (repeatable)")
    imp.set_defaults(func=cmd_import)

    re_ = sub.add_parser("reextract", help=REEXTRACT_HELP)
    re_.add_argument("dir", metavar="DIR", help="the dataset directory")
    re_.add_argument("--sites", metavar="FILE",
                     help="the sites file the pages were crawled with (default: built-in)")
    re_.add_argument("--site", action="append", metavar="KEY",
                     help="only this site's pages (repeatable)")
    re_.add_argument("--since", help="only pages fetched on or after this date (YYYY-MM-DD)")
    re_.add_argument("-s", "--set", action="append", metavar="NAME=VALUE",
                     help="NEWSCRAWL_EXTRACT_TASK, NEWSCRAWL_EXTRACT_WORKERS, ... (repeatable)")
    re_.set_defaults(func=cmd_reextract)


def _fail(command: str, message: str, code: int = 2) -> int:
    print(f"newscrawl: {command}: {message}", file=sys.stderr)
    return code


def _progress(counts: Any) -> None:
    print(f"... {counts.records} records, {counts.extracted} written, "
          f"{counts.rate():.1f} records/s", file=sys.stderr)


def cmd_import(args: argparse.Namespace) -> int:
    from newscrawl.archive.ccnews import DEFAULT_BASE, CCNewsError, list_month
    from newscrawl.archive.importer import InputError, expand_inputs, run_import
    from newscrawl.archive.options import IngestOptions, OptionError
    from newscrawl.sites import SitesFileError, load_sites
    from newscrawl.storage.lock import DatasetLockedError

    try:
        options = IngestOptions.from_pairs(args.set)
        sites = load_sites(args.sites)
        inputs = expand_inputs(args.warc)
        if args.cc_news:
            inputs += list_month(args.cc_news, args.cc_news_base or DEFAULT_BASE)
    except (OptionError, SitesFileError, InputError, CCNewsError) as exc:
        return _fail("import", str(exc))
    if not inputs:
        return _fail("import", "give WARC files, patterns or URLs, or --cc-news YYYY-MM")
    if args.max_files is not None:
        inputs = inputs[:args.max_files]
    if args.list:
        print("\n".join(inputs))
        return 0

    def on_file(spec: str) -> None:
        print(f"reading {spec}", file=sys.stderr)

    try:
        counts = run_import(inputs, sites, Path(args.out), options, _progress, on_file)
    except DatasetLockedError as exc:
        return _fail("import", str(exc), 3)
    except OSError as exc:
        return _fail("import", f"cannot write the dataset at {args.out}: {exc}")
    print(counts.summary())
    return 0


def cmd_reextract(args: argparse.Namespace) -> int:
    from newscrawl.archive.options import IngestOptions, OptionError
    from newscrawl.archive.reextract import run_reextract
    from newscrawl.crawl.config import ConfigError, parse_since
    from newscrawl.sites import SitesFileError, load_sites
    from newscrawl.storage.info import NotADatasetError, check_dataset
    from newscrawl.storage.lock import DatasetLockedError

    try:
        options = IngestOptions.from_pairs(args.set)
        sites = load_sites(args.sites)
        since = parse_since(args.since) if args.since else None
        root = check_dataset(Path(args.dir))
    except (OptionError, SitesFileError, ConfigError, NotADatasetError) as exc:
        return _fail("reextract", str(exc))
    if not (root / "_archive" / "index").is_dir():
        return _fail("reextract", f"{root} has no archive (_archive/); crawl it with "
                                  "--archive first")
    try:
        counts = run_reextract(root, sites, options, since=since, only=args.site,
                               on_progress=_progress)
    except DatasetLockedError as exc:
        return _fail("reextract", str(exc), 3)
    print(counts.summary())
    return 0
