"""`newscrawl` command line: crawl, sites, demo, extract, compact, import, reextract."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from newscrawl.sites import SitesFileError, load_sites, select_sites

logger = logging.getLogger(__name__)

LOAD_HINT = """\
Load it:
  duckdb:  SELECT * FROM read_parquet('{out}/**/*.parquet');
  pandas:  pandas.read_parquet('{out}')
  polars:  polars.read_parquet('{out}/**/*.parquet')
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


def run_crawl(settings: Any, spider: str = "news") -> dict[str, Any]:
    """Run one crawl in this process; returns the final Scrapy stats."""
    from newscrawl.crawl.config import config_of

    if config_of(settings).extract_workers > 0:
        from newscrawl.crawl.forkserver import start_forkserver

        start_forkserver()  # warms the extractor while Scrapy is imported and set up
    from scrapy.crawler import CrawlerProcess

    from newscrawl.crawl.services import services_of
    from newscrawl.crawl.stopping import GracefulStop

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider)
    started = process.crawl(crawler)
    # A failure while the crawl starts (building its components) would otherwise surface
    # only when the Deferred is collected, which the prompt exit never lets happen.
    started.addErrback(lambda failure: logger.error("the crawl failed to start:\n%s",
                                                    failure.getTraceback()))
    # Our own SIGINT/SIGTERM handling (crawl/stopping.py) instead of Scrapy's: bounded grace
    # period, commit, exit 130/143.
    def begin_stop() -> None:
        services_of(crawler).stopping = True

    GracefulStop(crawler, settings.getfloat("NEWSCRAWL_STOP_GRACE_SECONDS", 10.0), begin_stop,
                 lambda: services_of(crawler).finish_now(),
                 before_exit=remove_scratch_tempdir).install()
    process.start(install_signal_handlers=False)
    return crawler.stats.get_stats() if crawler.stats else {}


def _configured(settings: Any) -> str | None:
    """Parse the crawl's config once, here, and hand it to the crawl in the settings;
    returns the one-line problem when it cannot be used."""
    from newscrawl.crawl.config import CONFIG_SETTING, ConfigError, CrawlConfig

    try:
        config = CrawlConfig.from_settings(settings)
    except (SitesFileError, ConfigError) as exc:
        return str(exc)
    settings.set(CONFIG_SETTING, config, priority="cmdline")
    return None


DISTRIBUTED_HINT = ("distributed mode needs scrapy-redis: pip install 'newscrawl[distributed]'")


def _distributed_available() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(name) is not None for name in ("scrapy_redis", "redis"))


def _redis_problem(url: str) -> str | None:
    """Why distributed mode cannot start on the Redis at `url` (the extra is missing, the
    URL is malformed, Redis does not answer a PING), in one line; checked before Scrapy
    starts so that no crawl ever runs against a dead Redis."""
    if not _distributed_available():
        return DISTRIBUTED_HINT
    from newscrawl.crawl.distributed import check_redis

    return check_redis(url)


def cmd_crawl(args: argparse.Namespace) -> int:
    extra: dict[str, Any] = {"NEWSCRAWL_OUT": str(args.out), "NEWSCRAWL_SITES": args.site,
                             "NEWSCRAWL_SINCE": args.since or ""}
    if args.sites:
        extra["NEWSCRAWL_SITES_FILE"] = args.sites
    if args.max_articles:
        extra["NEWSCRAWL_MAX_ARTICLES"] = args.max_articles
    if args.log_file:
        extra["LOG_FILE"] = args.log_file
    if args.quiet:
        extra["NEWSCRAWL_PROGRESS"] = "off"
    if args.archive is not None:
        extra["NEWSCRAWL_ARCHIVE"] = args.archive
    spider = "news"
    if args.redis:
        if problem := _redis_problem(args.redis):
            print(f"newscrawl: {problem}", file=sys.stderr)
            return 2
        from newscrawl.crawl.distributed import SPIDER, distributed_settings

        extra.update(distributed_settings(args.redis, Path(args.out), args.idle_exit,
                                          args.worker))
        spider = SPIDER
    settings = _settings(args, extra)
    _set_verbosity(settings, args)
    if problem := _configured(settings):
        print(f"newscrawl: {problem}", file=sys.stderr)
        return 2
    if not args.redis and (unwritable := _out_problem(Path(args.out))):
        print(f"newscrawl: {unwritable[1]}", file=sys.stderr)
        return 3  # the crawl's code for a dataset it cannot write, locked or not
    return _exit_code(run_crawl(settings, spider))


# Above the project's settings, below -s: `-s LOG_LEVEL=...` still wins.
VERBOSITY_PRIORITY = 35


def _set_verbosity(settings: Any, args: argparse.Namespace) -> None:
    """Scrapy's own log (banner, middleware lists, stats dump) only with -v or in a log
    file; by default warnings and errors, then newscrawl's summary; -q: errors only."""
    if args.quiet:
        level = "ERROR"
    elif args.verbose or args.log_file:
        level = "INFO"
    else:
        level = "WARNING"
    settings.set("LOG_LEVEL", level, priority=VERBOSITY_PRIORITY)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{value} must be a positive number")
    return value


CRAWL_EPILOG = """\
exit codes:
  0    finished (or stopped at --max-articles)
  1    the crawl failed (see the log)
  2    bad arguments, sites file or settings (one line says which)
  3    the dataset cannot be written: locked by another crawl, or not writable
  4    a site that found articles in earlier runs found none now (see ALERT lines)
  5    no site could be crawled at all (every site unreachable)
  130  stopped by Ctrl-C (SIGINT); 143 stopped by SIGTERM: what was extracted is committed
"""


def _exit_code(stats: dict[str, Any]) -> int:
    from newscrawl.crawl.outcome import exit_code, exit_message

    message = exit_message(stats)
    if message:
        print(f"newscrawl: {message}", file=sys.stderr)
    return exit_code(stats)


def cmd_seed(args: argparse.Namespace) -> int:
    if problem := _redis_problem(args.redis):
        print(f"newscrawl: {problem}", file=sys.stderr)
        return 2
    from newscrawl.crawl.distributed import seed

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
    if problem := _out_problem(out):
        print(f"newscrawl: demo: {problem[1]}", file=sys.stderr)
        return problem[0]
    code = run_demo(out, lambda settings_extra: run_crawl(_settings(args, settings_extra)))
    if code == 0:
        print(f"\nDemo dataset written to {out}\n" + LOAD_HINT.format(out=out))
    return code


def cmd_extract(args: argparse.Namespace) -> int:
    from newscrawl.extract.batch import extract_files

    return extract_files(args.page, args.url, args.input, args.output, args.boilerplate)


def cmd_compact(args: argparse.Namespace) -> int:
    """Exit 2: no dataset named, or not a dataset; 3: a crawl is writing it."""
    from newscrawl.storage.compact import compact_dataset
    from newscrawl.storage.health import DamagedPartError
    from newscrawl.storage.info import NotADatasetError, check_dataset
    from newscrawl.storage.lock import DatasetLockedError

    if args.dir and args.out and Path(args.dir) != Path(args.out):
        print(f"newscrawl: compact: DIR {args.dir} and --out {args.out} differ; give one",
              file=sys.stderr)
        return 2
    if not (args.dir or args.out):
        print("newscrawl: compact: give the dataset directory (newscrawl compact DIR)",
              file=sys.stderr)
        return 2
    try:
        result = compact_dataset(check_dataset(Path(args.dir or args.out)), strict=args.strict)
    except NotADatasetError as exc:
        print(f"newscrawl: compact: {exc}", file=sys.stderr)
        return 2
    except DatasetLockedError as exc:
        print(f"newscrawl: compact: {exc}", file=sys.stderr)
        return 3
    except DamagedPartError as exc:
        print(f"newscrawl: compact: {exc}; run without --strict to skip it", file=sys.stderr)
        return 1
    print(result.describe())
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from newscrawl.storage.info import NotADatasetError, dataset_info
    from newscrawl.storage.info_text import format_info, info_json

    try:
        info = dataset_info(Path(args.dir), runs=args.runs)
    except NotADatasetError as exc:
        print(f"newscrawl: info: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(info_json(info) if args.json else format_info(info))
    return 0


def cmd_runs(args: argparse.Namespace) -> int:
    from newscrawl.storage.info import NotADatasetError, check_dataset, read_runs
    from newscrawl.storage.info_text import format_runs, runs_json

    try:
        runs = read_runs(check_dataset(Path(args.dir)))
    except NotADatasetError as exc:
        print(f"newscrawl: runs: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(runs_json(runs) if args.json else format_runs(runs))
    return 0


def _out_problem(out: Path) -> tuple[int, str] | None:
    """Take the dataset's writer lock for this whole process; else (exit code, one
    sentence): 3 when another process writes there, 2 when the directory cannot be written.
    Taken before a crawl starts, so two crawls started together cannot both get past it."""
    from newscrawl.storage.lock import DatasetLockedError, WriterLock

    try:
        WriterLock(out).acquire()
    except DatasetLockedError as exc:
        return 3, str(exc)
    except OSError as exc:
        return 2, f"cannot write the dataset at {out}: {exc.strerror}; choose another --out"
    return None


class VersionAction(argparse.Action):
    """`--version`, worked out only when asked for, and never wrapped (argparse's own
    version action wraps it to the terminal width)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        print(version_text())
        parser.exit()


def version_text() -> str:
    """`newscrawl --version`: ours, then the versions that shape the data."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    from newscrawl import __version__

    others = []
    for name in ("scrapy", "trafilatura", "pyarrow"):
        try:
            others.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            others.append(f"{name} not installed")
    return f"newscrawl {__version__} ({', '.join(others)}, python {platform.python_version()})"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newscrawl", description=__doc__)
    parser.add_argument("--version", action=VersionAction, help="show the versions and exit")
    sub = parser.add_subparsers(dest="command", required=True)

    crawl = sub.add_parser("crawl", help="crawl sites into the Parquet dataset",
                           epilog=CRAWL_EPILOG,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    crawl.add_argument("site", nargs="*", help="site keys (default: every site in the file)")
    crawl.add_argument("--sites", help="sites file (default: the built-in one)")
    crawl.add_argument("--out", default="datasets/news",
                       help="dataset directory (default: datasets/news)")
    crawl.add_argument("--since", help="skip articles dated before this (YYYY-MM-DD)")
    crawl.add_argument("--max-articles", type=_positive_int, metavar="N",
                       help="write exactly N articles (across sites), then stop")
    output = crawl.add_mutually_exclusive_group()
    output.add_argument("-v", "--verbose", action="store_true",
                        help="show Scrapy's log (INFO) as well as the summary")
    output.add_argument("-q", "--quiet", action="store_true",
                        help="errors and the final summary only (no live table)")
    crawl.add_argument("--log-file", metavar="PATH",
                       help="write the full log (INFO) to PATH instead of the terminal")
    crawl.add_argument("-s", "--set", action="append", metavar="NAME=VALUE",
                       help="override a Scrapy/newscrawl setting (repeatable)")
    crawl.add_argument("--archive", action=argparse.BooleanOptionalAction, default=None,
                       help="keep fetched pages as WARC in OUT/_archive/ (default: on)")
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
    compact.add_argument("dir", nargs="?", metavar="DIR", help="the dataset directory")
    compact.add_argument("--out", help="the dataset directory (the same as DIR)")
    compact.add_argument("--strict", action="store_true",
                         help="fail on a damaged part file instead of skipping it")
    compact.set_defaults(func=cmd_compact)

    info = sub.add_parser("info", help="what a dataset holds: rows, sites, dates, fill rates, "
                                       "near-duplicates, last runs")
    info.add_argument("dir", metavar="DIR", help="the dataset directory")
    info.add_argument("--json", action="store_true", help="machine-readable output")
    info.add_argument("--runs", type=int, default=5, metavar="N",
                      help="show the last N runs (default 5)")
    info.set_defaults(func=cmd_info)

    runs = sub.add_parser("runs", help="the dataset's run reports, one line per run")
    runs.add_argument("dir", metavar="DIR", help="the dataset directory")
    runs.add_argument("--json", action="store_true", help="machine-readable output")
    runs.set_defaults(func=cmd_runs)

    from newscrawl.archive.commands import add_archive_commands

    add_archive_commands(sub)
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
    use_scratch_tempdir()
    code = 1
    try:
        code = main()
    except SystemExit as exc:  # argparse's --help and usage errors; rich on a broken pipe
        code = _system_exit_code(exc)
    except BrokenPipeError:
        code = EXIT_READER_GONE
    except BaseException:  # noqa: BLE001 - a bug's traceback, then the exit below
        _quietly(traceback.print_exc)
        code = 1
    finally:
        # Whatever happened, the process ends here: an exception past this point would leave
        # exit to the interpreter, which waits for threads a crawl leaves running (Twisted's
        # pool, the demo's server) and so never ends, as once when the reader of the output
        # went away (`newscrawl demo | head -1`) and the last flush raised.
        remove_scratch_tempdir()
        _quietly(logging.shutdown)
        _quietly(sys.stdout.flush)
        _quietly(sys.stderr.flush)
        os._exit(code)


# A reader of our output went away mid-run (`| head`): 128 + SIGPIPE, as a shell reports a
# process that signal ended. What the run wrote is durable all the same.
EXIT_READER_GONE = 141


def _system_exit_code(exc: SystemExit) -> int:
    if exc.code is None or isinstance(exc.code, int):
        return exc.code or 0
    _quietly(lambda: print(exc.code, file=sys.stderr))
    return 1


def _quietly(action: Callable[[], object]) -> None:
    """Run `action`, ignoring a closed or broken output stream: nobody is left to tell."""
    with contextlib.suppress(OSError, ValueError):
        action()


_scratch: list[str] = []


def use_scratch_tempdir() -> None:
    """Temporary files of this run (multiprocessing's `pymp-*` folder with the forkserver's
    socket, among others) go to a folder of its own, removed at exit: `os._exit` skips the
    clean-up that would otherwise remove them, and an hourly job would leave one a run."""
    base = Path(tempfile.gettempdir())
    for stale in base.glob("nc-*-*"):
        # a run killed with -9 left its folder; its pid is in the name
        pid = stale.name.split("-")[1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    # short: the forkserver's socket lives in here, and a Unix socket path has ~100 bytes
    _scratch.append(tempfile.mkdtemp(prefix=f"nc-{os.getpid()}-", dir=base))
    tempfile.tempdir = _scratch[-1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_scratch_tempdir() -> None:
    while _scratch:
        shutil.rmtree(_scratch.pop(), ignore_errors=True)


if __name__ == "__main__":
    run()
