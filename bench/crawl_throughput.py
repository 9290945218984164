"""Crawl throughput and memory: the full `newscrawl crawl` vs plain trafilatura, same pages.

    # real pages (the figure the README quotes first): unique copies of a corpus's pages
    python bench/crawl_throughput.py --corpus ../shared/eval/corpus [--pages 3000] [--repeat 3]
    # our own synthetic pages (demo articles inside generated page chrome)
    python bench/crawl_throughput.py [--pages 2000] [--page-kb 200] [--repeat 3]
    # either, plus: [--sites 5] [--workers 2] [--concurrency N] [--no-inline]
    #               [-s NAME=VALUE ...]   # extra crawl settings, for A/B runs

Corpus mode (`--corpus DIR`) serves `--pages` copies of the real pages in DIR/html/*.html.gz
(read at run time, never stored in the repository), each made a story of its own (its own
URL and canonical, a quarter of its words swapped, a sentence added: see corpus_pages.py).
Synthetic mode serves distinct article pages recombined from the demo articles, in the three
demo layouts, weighted with generated page chrome to `--page-kb`. Either way the pages sit on
`--sites` local sites on 127.0.0.2..N, each with robots.txt -> sitemap index -> urlsets, and
are built in memory before anything is timed. Then a baseline, and per repeat:

- crawl: `python -m newscrawl.cli crawl` in a subprocess with `NEWSCRAWL_EXTRACT_WORKERS=workers`,
  `CONCURRENT_REQUESTS=--concurrency` (32 in corpus mode, 64 in synthetic mode) and no
  politeness delay, its processes sampled with psutil every 0.2 s;
- crawl inline: the same with `NEWSCRAWL_EXTRACT_WORKERS=0`, to show what the pool earns;
- baseline: `trafilatura.extract(body, url=..., with_metadata=True, output_format="json")`
  over the same bodies in a `multiprocessing.Pool(workers)`.

Each crawl's ratio is taken against the mean of the baselines just before and just after it,
so a host whose speed drifts over minutes moves both sides of the ratio alike.

Every crawl is checked by reading its Parquet dataset back: a crawl that drops pages is not
fast, it is broken. Figures are printed as min / median / max over the repeats. CPU seconds
per page are the steadier figures: wall times move with whatever else runs on the machine,
which each phase reports as "other load" (cores busy outside this benchmark).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psutil
import pyarrow.dataset as pads
import trafilatura
from corpus_pages import copy_slug, corpus_urls, load_corpus, make_copy
from profile_breakdown import read_stacks, render_breakdown

from newscrawl.demo.content import demo_articles
from newscrawl.demo.feeds import render_robots, render_sitemap_index, render_urlset
from newscrawl.demo.model import LAYOUTS, Article, Outlet
from newscrawl.demo.render import Listing, render_article, render_listing
from newscrawl.demo.server import Route, SiteServer

SAMPLE_EVERY = 0.2  # seconds between psutil samples
PSS_EVERY = 10  # PSS (costly to read) on every 10th sample and at the checkpoints
URLSET_SIZE = 100  # entries per child sitemap
# A real article's median text is ~4,700 characters (eval corpus); 12 demo paragraphs come close.
PARAGRAPHS = 12
MIDPOINT_PAGES = 500  # "RSS at ~500 pages" is taken when this many articles were fetched
WARM_PAGES = 1000  # a second checkpoint: after the first Parquet flush (500 rows)
XML = "application/xml; charset=utf-8"
MB = 1024 * 1024
PROFILE_RATE = 250  # py-spy samples per second

# Politeness off for our own hosts, the rest as the briefs of issues 5 and 15 fix it
# (CONCURRENT_REQUESTS comes from --concurrency).
CRAWL_SETTINGS = (
    "AUTOTHROTTLE_ENABLED=False",
    "DOWNLOAD_DELAY=0",
    "CONCURRENT_REQUESTS_PER_DOMAIN=16",
    "LOG_LEVEL=WARNING",
    "NEWSCRAWL_PROGRESS=off",
)


# -- the local network -------------------------------------------------------------------------


@dataclass
class BenchSite:
    key: str
    server: SiteServer
    pages: dict[str, bytes] = field(default_factory=dict)  # article path -> body

    def article_requests(self) -> list[float]:
        """Arrival times of every request for an article path so far."""
        return [r.time for r in self.server.requests if r.path in self.pages]


def variant_articles(count: int, site_index: int, days: int, rng: random.Random,
                     seen_texts: set[str]) -> list[Article]:
    """`count` distinct stories: a demo article's lead paragraph plus five paragraphs drawn
    from every demo article, under a new slug and a date within the last `days` days.

    Drawing from the whole pool of ~150 paragraphs keeps two pages' 5-word shingles apart
    (Jaccard ~0.1), so the near-duplicate index sees ordinary, unrelated stories as it would
    on a real site, not thousands of copies of 25 stories."""
    bases = [a for a in demo_articles() if a.kind == "article"]
    pool = [p for a in bases for p in a.body[1:]]
    anchor = datetime(2024, 6, 20, 12, 0)
    out: list[Article] = []
    while len(out) < count:
        base = bases[len(out) % len(bases)]
        body = [base.body[0], *rng.sample(pool, PARAGRAPHS - 1)]
        text = "\n\n".join(body)
        if text in seen_texts:
            continue
        seen_texts.add(text)
        when = anchor - timedelta(days=rng.randrange(days), minutes=rng.randrange(24 * 60))
        out.append(replace(base, slug=f"{base.slug}-{site_index}-{len(out)}", body=tuple(body),
                           published=when.replace(tzinfo=base.published.tzinfo),
                           modified=None))
    return out


_WORDS = ("premiere", "festival", "trailer", "casting", "review", "album", "tour", "series",
          "finale", "awards", "red-carpet", "interview", "box-office", "streaming", "season",
          "exclusive", "couple", "wedding", "documentary", "soundtrack", "reunion", "sequel")


def page_weight(html: str, target_kb: int, rng: random.Random) -> str:
    """Add the weight real article pages carry around the story, until the page is about
    `target_kb` KB: inline config scripts and styles in the head, a mega-menu, rails of
    teaser cards and a link-heavy footer (all our own generated markup).

    Proportions follow the shared eval corpus's real news pages (medians: 123 KB, 22% of it
    script and style, 653 elements in the body, 29% of them inside <nav>, <footer> or
    <aside>): the chrome elements carry the class lists, data attributes and srcsets real
    templates give them, and most of them sit in plain <div>s, as on real sites, where an
    extractor has to judge them rather than drop them by tag. Our markup is cheaper to
    extract per KB than real markup, so the default weight is 200 KB, where plain trafilatura
    costs ~29 ms a page, as it costs ~31 ms on the real pages (their median is 123 KB). The
    bare demo template is about 10 KB."""
    if target_kb <= 0 or len(html) >= target_kb * 1024:
        return html
    budget = target_kb * 1024 - len(html)

    def slug() -> str:
        return "-".join(rng.sample(_WORDS, 4))

    def track(label: str) -> str:
        return (f' data-analytics=\'{{"event":"click","region":"{label}",'
                f'"position":{rng.randrange(40)}}}\'')

    config = {"ads": [{"slot": f"ad-{i}", "sizes": [[300, 250], [728, 90]],
                       "targeting": {"kw": rng.sample(_WORDS, 5)}} for i in range(40)],
              "experiments": {slug(): rng.random() for _ in range(60)}}
    head = (f"<script>window.__CONFIG__={json.dumps(config)};</script>"
            "<style>" + "".join(f".c{i}{{margin:{i % 7}px;padding:{i % 5}px;color:#{i:06x}}}"
                                for i in range(400)) + "</style>")
    menu = "".join(
        f'<li class="menu-item menu-item-type-taxonomy menu-item-{rng.randrange(10**5)}">'
        f'<a href="/{section}/"{track("nav")}>{section.title()}</a><ul class="sub-menu">'
        + "".join(f'<li class="menu-item menu-item-object-post"><a href="/{section}/{slug()}/'
                  f'?utm_source=nav&amp;utm_medium=menu"{track("nav")}>'
                  f'{slug().replace("-", " ").title()}</a></li>' for _ in range(10))
        + "</ul></li>"
        for section in ("celebrity", "film", "tv", "music", "culture", "style", "awards"))

    def card(region: str) -> str:
        name = slug()
        return (f'<div class="card card--teaser card--{region}" data-id="{rng.randrange(10**7)}">'
                f'<a class="card__media" href="/{name}/?ref={region}"{track(region)}>'
                f'<img src="/i/{name}-640.jpg" srcset="/i/{name}-320.jpg 320w, '
                f'/i/{name}-640.jpg 640w, /i/{name}-1280.jpg 1280w" sizes="(max-width: 600px) '
                f'100vw, 320px" alt="" loading="lazy" width="320" height="180"></a>'
                f'<h3 class="card__title"><a href="/{name}/?ref={region}"{track(region)}>'
                f'{name.replace("-", " ").title()}</a></h3>'
                f'<span class="card__meta">{rng.randrange(2, 59)} min read</span></div>')

    footer = "".join(f'<a class="footer-link footer-link--secondary" href="/{slug()}/"'
                     f'{track("footer")}>{slug().replace("-", " ")}</a>' for _ in range(60))
    body = (f'<nav class="main-navigation mega-menu" aria-label="Sections"><ul>{menu}</ul></nav>'
            f'<div class="sidebar trending-rail">{"".join(card("trending") for _ in range(12))}'
            f'</div><footer class="site-footer">{footer}</footer>')
    while len(head) + len(body) < budget:  # more teaser rails, never more story text
        body += f'<div class="more-rail">{"".join(card("more") for _ in range(6))}</div>'
    html = html.replace("</head>", head + "</head>", 1)
    end = html.rfind("</body>")
    end = end if end >= 0 else len(html)
    return html[:end] + body + html[end:]


def build_site(index: int, count: int, days: int, rng: random.Random,
               seen_texts: set[str], page_kb: int = 0) -> BenchSite:
    """Start site `index` on 127.0.0.<index+2> and give it `count` pre-rendered articles."""
    server = SiteServer(host=f"127.0.0.{index + 2}").start()
    outlet = Outlet(
        name=f"Bench Outlet {index + 1}", base_url=server.base_url,
        tagline="Entertainment news for the throughput benchmark",
        sections={"celebrity": "Celebrity", "film": "Movies", "tv": "TV", "music": "Music",
                  "culture": "Culture"},
        layout=LAYOUTS[index % len(LAYOUTS)],
        path_style="dated" if index % 2 == 0 else "section", rss_path=None,
    )
    articles = variant_articles(count, index, days, rng, seen_texts)
    site = BenchSite(key=f"bench{index + 1}", server=server)
    routes: dict[str, Route] = {}
    for n, article in enumerate(articles):
        related = [(outlet.article_path(a), a.title)
                   for a in (articles[(n + k) % len(articles)] for k in (1, 2, 3))]
        route = Route.html(page_weight(render_article(outlet, article, related=related),
                                       page_kb, rng))
        routes[outlet.article_path(article)] = route
        site.pages[outlet.article_path(article)] = route.body
    add_discovery(server, routes, [(outlet.article_url(a), a.published) for a in articles])
    routes["/"] = Route.html(render_listing(outlet, Listing("Latest stories", "/", [])))
    server.set_routes(routes)
    return site


def add_discovery(server: SiteServer, routes: dict[str, Route],
                  entries: list[tuple[str, datetime]]) -> None:
    """robots.txt -> sitemap index -> urlsets of URLSET_SIZE (URL, lastmod) entries each."""
    newest = sorted(entries, key=lambda e: e[1], reverse=True)
    children = []
    for start in range(0, len(newest), URLSET_SIZE):
        chunk = newest[start:start + URLSET_SIZE]
        path = f"/sitemap-posts-{start // URLSET_SIZE + 1}.xml"
        routes[path] = Route.data(render_urlset(chunk), XML)
        children.append((server.url(path), chunk[0][1]))
    routes["/sitemap_index.xml"] = Route.data(render_sitemap_index(children), XML)
    routes["/robots.txt"] = Route.data(
        render_robots([server.url("/sitemap_index.xml")]), "text/plain; charset=utf-8")


def build_corpus_network(folder: Path, pages: int, sites: int, days: int,
                         seed: int) -> tuple[list[BenchSite], int]:
    """`pages` unique copies of the corpus's real pages, dealt round-robin over `sites`
    local sites; returns the sites and how many distinct real pages they were made from.
    Served as `text/html` without a charset, as the pages were saved: each declares its own."""
    sources = load_corpus(folder)
    originals = corpus_urls(folder)
    rng = random.Random(seed)
    anchor = datetime(2024, 6, 20, 12, 0, tzinfo=UTC)
    network = [BenchSite(key=f"bench{i + 1}",
                         server=SiteServer(host=f"127.0.0.{i + 2}").start())
               for i in range(sites)]
    entries: list[list[tuple[str, datetime]]] = [[] for _ in network]
    routes: list[dict[str, Route]] = [{} for _ in network]
    for n in range(pages):
        page = sources[n % len(sources)]
        site = network[n % sites]
        slug = copy_slug(originals.get(page.name, ""), page.name)
        path = f"/news/{slug}-{n}/"
        body = make_copy(page, site.server.url(path), n, seed)
        routes[n % sites][path] = Route(headers={"Content-Type": "text/html"}, body=body)
        site.pages[path] = body
        lastmod = anchor - timedelta(days=rng.randrange(days), minutes=rng.randrange(24 * 60))
        entries[n % sites].append((site.server.url(path), lastmod))
    for site, site_routes, site_entries in zip(network, routes, entries, strict=True):
        add_discovery(site.server, site_routes, site_entries)
        site_routes["/"] = Route.html("<!DOCTYPE html><html><head><title>Bench</title></head>"
                                      "<body><h1>Latest stories</h1></body></html>")
        site.server.set_routes(site_routes)
    return network, min(pages, len(sources))


def build_network(pages: int, sites: int, days: int, seed: int,
                  page_kb: int = 0) -> list[BenchSite]:
    rng = random.Random(seed)
    seen: set[str] = set()
    per_site = [pages // sites + (1 if i < pages % sites else 0) for i in range(sites)]
    return [build_site(i, n, days, rng, seen, page_kb) for i, n in enumerate(per_site)]


def write_sites_file(network: list[BenchSite], path: Path) -> None:
    entries = [f'[[site]]\nkey = "{s.key}"\nname = "{s.key}"\nhome = "{s.server.base_url}/"\n'
               'language = "en"\n' for s in network]
    path.write_text("\n".join(entries), encoding="utf-8")


def _fetch_all(urls: list[str], threads: int) -> float:
    def get(url: str) -> int:
        with urllib.request.urlopen(url, timeout=10) as response:
            return len(response.read())

    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(get, urls))
    return time.perf_counter() - start


def measure_servers(network: list[BenchSite], threads: int = 16) -> tuple[float, float]:
    """(requests/s, server CPU ms per request) for every article page fetched once by a
    16-thread client in another process; the CPU is this process's, where the servers run."""
    urls = [s.server.url(p) for s in network for p in s.pages]
    me = psutil.Process()
    cpu_before = sum(me.cpu_times()[:2])
    ctx = multiprocessing.get_context("spawn")  # no fork of a process that runs server threads
    with ctx.Pool(1) as pool:
        seconds = pool.apply(_fetch_all, (urls, threads))
    cpu = sum(me.cpu_times()[:2]) - cpu_before
    for site in network:
        site.server.clear_requests()
    return len(urls) / seconds, 1000 * cpu / len(urls)


class LoadMeter:
    """CPU the rest of the machine used while a phase ran, in cores: other sessions' work
    skews every figure here, so each phase reports it beside its own."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.busy, self.own = _busy_cpu(), _own_cpu()

    def foreign_cores(self) -> float:
        wall = time.perf_counter() - self.start
        return ((_busy_cpu() - self.busy) - (_own_cpu() - self.own)) / wall


def _busy_cpu() -> float:
    t = psutil.cpu_times()
    return t.user + t.nice + t.system + t.irq + t.softirq  # guest time is inside user


def _own_cpu() -> float:
    """CPU of this process and of every child it reaped (pool workers, crawl subprocesses)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


# -- the baseline ------------------------------------------------------------------------------


def _extract_plain(job: tuple[str, bytes]) -> bool:
    url, body = job
    return trafilatura.extract(body, url=url, with_metadata=True,
                               output_format="json") is not None


@dataclass
class BaselineFigures:
    seconds: float
    extracted: int  # pages for which trafilatura returned a text
    cpu: float  # seconds, this process and the pool's workers
    other_load: float
    load_average: float  # /proc/loadavg, 1 minute, when the phase ended


def run_baseline(network: list[BenchSite], workers: int) -> BaselineFigures:
    """Plain trafilatura over every body in a Pool, as a user's own script would run it."""
    jobs = [(s.server.url(p), body) for s in network for p, body in s.pages.items()]
    meter = LoadMeter()
    # fork: the workers start with trafilatura already imported, as the crawl's pebble
    # workers do (they are forked from the crawl process).
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        extracted = sum(pool.imap_unordered(_extract_plain, jobs, chunksize=8))
    seconds = time.perf_counter() - meter.start
    return BaselineFigures(seconds, extracted, _own_cpu() - meter.own, meter.foreign_cores(),
                           os.getloadavg()[0])


# -- the crawl ---------------------------------------------------------------------------------


@dataclass
class CrawlFigures:
    returncode: int
    wall: float  # process start to exit
    startup: float  # process start to first article request
    fetch_window: float  # first to last article request
    tail: float  # last article request to exit
    fetched: int  # distinct article pages the sites served
    rows: int
    unique_urls: int
    near_duplicates: int  # rows with duplicate_of set
    peak_rss: float  # MB, crawl process plus children
    peak_pss: float  # MB, same, shared pages counted once
    # (RSS sum, PSS sum, main RSS) in MB when N articles had been fetched; N = total: last page
    memory_at: dict[int, tuple[float, float, float]]
    cpu_reactor: float  # seconds, the crawl process's main thread
    cpu_helpers: float  # seconds, its other threads (pebble managers, Twisted threads)
    cpu_children: float  # seconds, extraction workers (live and reaped)
    cpu_server: float  # seconds, this process (SiteServers, sampler) during the crawl
    parts: int
    other_load: float  # cores the rest of the machine kept busy meanwhile
    load_average: float  # /proc/loadavg, 1 minute, when the crawl ended
    dropped: dict[str, int]  # the run report's drop reasons, summed over sites
    stderr: str


@dataclass
class Sample:
    rss: float  # MB, the crawl process and all its descendants
    pss: float | None  # MB, same with shared pages counted once (None: not read this time)
    main_rss: float
    reactor_cpu: float  # s, the crawl process's main thread
    helper_cpu: float  # s, its other threads (pebble's managers, Twisted's thread pool)
    child_cpu: dict[int, float]  # s, by pid: extraction workers and the forkserver


def _sample(proc: psutil.Process, with_pss: bool) -> Sample:
    """One look at the crawl's process tree. PSS needs a read of smaps_rollup, which costs
    milliseconds per process on the cores being measured, so it is read only when asked."""
    sample = Sample(0.0, 0.0 if with_pss else None, 0.0, 0.0, 0.0, {})
    try:
        tree = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return sample  # the crawl exited between two looks: nothing left to sample
    for p in tree:
        try:
            if with_pss:
                info = p.memory_full_info()
                sample.pss = (sample.pss or 0.0) + info.pss / MB
            else:
                info = p.memory_info()
            if p.pid == proc.pid:
                sample.main_rss = info.rss / MB
                for thread in p.threads():
                    cpu = thread.user_time + thread.system_time
                    if thread.id == proc.pid:
                        sample.reactor_cpu = cpu
                    else:
                        sample.helper_cpu += cpu
            else:
                # Forkserver workers are not the crawl's own children: its wait4 never sees
                # their CPU, so it is read here, the last value seen per pid kept.
                times = p.cpu_times()
                sample.child_cpu[p.pid] = times.user + times.system
        except psutil.Error:
            continue
        sample.rss += info.rss / MB
    return sample


def run_crawl(network: list[BenchSite], sites_file: Path, out: Path, workers: int,
              concurrency: int, extra_settings: list[str],
              wrapper: tuple[str, ...] = ()) -> CrawlFigures:
    """One `newscrawl crawl` against the network. `wrapper`: a command the crawl runs under
    (the profiler); the figures of such a run describe the wrapper too, not the crawl."""
    for site in network:
        site.server.clear_requests()
    total_pages = sum(len(s.pages) for s in network)
    cmd = [sys.executable, "-m", "newscrawl.cli", "crawl", "--sites", str(sites_file),
           "--out", str(out)]
    for setting in (*CRAWL_SETTINGS, f"CONCURRENT_REQUESTS={concurrency}", *extra_settings,
                    f"NEWSCRAWL_EXTRACT_WORKERS={workers}"):
        cmd += ["-s", setting]
    me = psutil.Process()
    server_cpu_before = sum(me.cpu_times()[:2])
    stderr_path = out.with_suffix(".stderr")
    ended: dict[str, float] = {}
    meter = LoadMeter()
    with open(stderr_path, "w", encoding="utf-8") as stderr:
        started = time.time()
        popen = subprocess.Popen([*wrapper, *cmd], stdout=subprocess.DEVNULL, stderr=stderr)

        def reap() -> None:
            # wait4 gives the CPU of the crawl and every child it reaped (recycled workers).
            _, status, usage = os.wait4(popen.pid, 0)
            ended["at"] = time.time()
            ended["cpu"] = usage.ru_utime + usage.ru_stime
            ended["code"] = os.waitstatus_to_exitcode(status)

        waiter = threading.Thread(target=reap)
        waiter.start()
        proc = psutil.Process(popen.pid)
        peak_rss = peak_pss = 0.0
        memory_at: dict[int, tuple[float, float, float]] = {}
        reactor_cpu = helper_cpu = 0.0
        child_cpu: dict[int, float] = {}
        tick = 0
        while waiter.is_alive():
            fetched = sum(len(s.article_requests()) for s in network)
            due = [c for c in (MIDPOINT_PAGES, WARM_PAGES, total_pages)
                   if fetched >= c and c not in memory_at]
            sample = _sample(proc, with_pss=bool(due) or tick % PSS_EVERY == 0)
            tick += 1
            reactor_cpu = max(reactor_cpu, sample.reactor_cpu)
            helper_cpu = max(helper_cpu, sample.helper_cpu)
            for pid, cpu in sample.child_cpu.items():
                child_cpu[pid] = max(child_cpu.get(pid, 0.0), cpu)
            peak_rss = max(peak_rss, sample.rss)
            if sample.pss is not None:
                peak_pss = max(peak_pss, sample.pss)
            for checkpoint in due if sample.rss else ():  # (an empty sample: it had exited)
                memory_at[checkpoint] = (sample.rss, sample.pss or 0.0, sample.main_rss)
            waiter.join(SAMPLE_EVERY)
        popen.returncode = int(ended["code"])  # reaped above; keeps Popen from waiting again
    # Workers the crawl did not reap look like foreign load to the meter: take them out.
    unreaped = max(0.0, sum(child_cpu.values()) - (ended["cpu"] - reactor_cpu - helper_cpu))
    other_load = max(0.0, meter.foreign_cores() - unreaped / (ended["at"] - started))
    times = sorted(t for s in network for t in s.article_requests())
    first, last = (times[0], times[-1]) if times else (started, started)
    rows, unique, near = read_dataset(out)
    return CrawlFigures(
        returncode=popen.returncode, wall=ended["at"] - started, startup=first - started,
        fetch_window=last - first, tail=ended["at"] - last,
        fetched=len({(s.key, r.path) for s in network for r in s.server.requests
                     if r.path in s.pages}),
        rows=rows, unique_urls=unique,
        near_duplicates=near,
        peak_rss=peak_rss, peak_pss=peak_pss, memory_at=memory_at, cpu_reactor=reactor_cpu,
        cpu_helpers=helper_cpu,
        # Children the crawl reaped itself are in wait4's figure; forkserver workers only in
        # the samples (up to one sampling interval of their last work is missed).
        cpu_children=max(ended["cpu"] - reactor_cpu - helper_cpu, sum(child_cpu.values())),
        cpu_server=sum(me.cpu_times()[:2]) - server_cpu_before,
        parts=len(list(out.glob("*/*/*.parquet"))), other_load=other_load,
        load_average=os.getloadavg()[0], dropped=drop_reasons(out),
        stderr=stderr_path.read_text(encoding="utf-8"),
    )


def drop_reasons(out: Path) -> dict[str, int]:
    """Why fetched pages did not become rows, from the crawl's run report (_runs/*.json)."""
    totals: dict[str, int] = {}
    for path in out.glob("_runs/*.json"):
        report = json.loads(path.read_text(encoding="utf-8"))
        for site in report.get("sites", {}).values():
            for reason, count in site.get("dropped_by_reason", {}).items():
                totals[reason] = totals.get(reason, 0) + count
    return totals


def read_dataset(out: Path) -> tuple[int, int, int]:
    """(rows, distinct canonical URLs, rows flagged as near-duplicates) under `out`."""
    files = [str(p) for p in out.glob("*/*/*.parquet")]
    if not files:
        return 0, 0, 0
    table = pads.dataset(files, format="parquet").to_table(
        columns=["canonical_url", "duplicate_of"])
    return (table.num_rows, len(set(table.column("canonical_url").to_pylist())),
            table.num_rows - table.column("duplicate_of").null_count)


# -- report ------------------------------------------------------------------------------------


class Figures:
    """Named figures collected over the repeats, printed as min / median / max."""

    def __init__(self) -> None:
        self.values: dict[str, list[float]] = {}

    def add(self, name: str, value: float) -> None:
        self.values.setdefault(name, []).append(value)

    def print(self, targets: dict[str, str]) -> None:
        width = max(len(n) for n in self.values)
        print(f"\n{'figure':<{width}}  {'min':>9} {'median':>9} {'max':>9}  target")
        for name, values in self.values.items():
            cells = " ".join(f"{v:9.2f}" for v in (min(values), statistics.median(values),
                                                   max(values)))
            print(f"{name:<{width}}  {cells}  {targets.get(name, '')}")


def measure_baseline(figures: Figures, network: list[BenchSite], workers: int,
                     pages: int) -> BaselineFigures:
    base = run_baseline(network, workers)
    figures.add("baseline: s", base.seconds)
    figures.add("baseline: pages/s", pages / base.seconds)
    figures.add("baseline: pages with a result", base.extracted)
    figures.add("baseline: CPU s (pool + parent)", base.cpu)
    figures.add("baseline: CPU ms/page", 1000 * base.cpu / pages)
    figures.add("baseline: other load, cores", base.other_load)
    figures.add("baseline: load average (1 min) at the end", base.load_average)
    return base


def record_crawl(figures: Figures, label: str, crawl: CrawlFigures, pages: int) -> None:
    figures.add(f"{label}: wall s (start->exit)", crawl.wall)
    figures.add(f"{label}: pages/s (wall)", crawl.fetched / crawl.wall)
    figures.add(f"{label}: pages/s (1st->last article fetch)",
                crawl.fetched / max(crawl.fetch_window, 1e-9))
    figures.add(f"{label}: startup s (start->1st article)", crawl.startup)
    figures.add(f"{label}: tail s (last article->exit)", crawl.tail)
    figures.add(f"{label}: rows in Parquet", crawl.rows)
    figures.add(f"{label}: article pages fetched", crawl.fetched)
    figures.add(f"{label}: rows missing", pages - crawl.unique_urls)
    figures.add(f"{label}: rows missing, no drop reason counted",
                max(0, pages - crawl.unique_urls - sum(crawl.dropped.values())))
    figures.add(f"{label}: rows flagged near-duplicate", crawl.near_duplicates)
    figures.add(f"{label}: part files", crawl.parts)
    figures.add(f"{label}: peak RSS MB (all procs)", crawl.peak_rss)
    figures.add(f"{label}: peak PSS MB (all procs)", crawl.peak_pss)
    last = crawl.memory_at.get(pages)
    for checkpoint in (MIDPOINT_PAGES, WARM_PAGES):
        then = crawl.memory_at.get(checkpoint)
        if then is None or last is None or checkpoint >= pages:
            continue
        figures.add(f"{label}: RSS MB at {checkpoint} pages", then[0])
        figures.add(f"{label}: RSS last/{checkpoint}", last[0] / then[0])
        figures.add(f"{label}: PSS last/{checkpoint}", last[1] / then[1])
        figures.add(f"{label}: main RSS MB at {checkpoint} pages", then[2])
    if last is not None:
        figures.add(f"{label}: RSS MB at last page", last[0])
        figures.add(f"{label}: main RSS MB at last page", last[2])
    total_cpu = crawl.cpu_reactor + crawl.cpu_helpers + crawl.cpu_children + crawl.cpu_server
    figures.add(f"{label}: CPU s all (crawl procs + servers)", total_cpu)
    figures.add(f"{label}: CPU ms/page all", 1000 * total_cpu / pages)
    figures.add(f"{label}: CPU ms/page reactor thread", 1000 * crawl.cpu_reactor / pages)
    figures.add(f"{label}: CPU ms/page extraction workers", 1000 * crawl.cpu_children / pages)
    figures.add(f"{label}: CPU s reactor thread", crawl.cpu_reactor)
    figures.add(f"{label}: CPU s crawl proc other threads", crawl.cpu_helpers)
    figures.add(f"{label}: CPU s extraction workers", crawl.cpu_children)
    figures.add(f"{label}: CPU s bench proc (servers+sampler)", crawl.cpu_server)
    figures.add(f"{label}: other load, cores", crawl.other_load)
    figures.add(f"{label}: load average (1 min) at the end", crawl.load_average)


def profile_crawl(network: list[BenchSite], sites_file: Path, out: Path,
                  args: argparse.Namespace, concurrency: int) -> None:
    """One more crawl, sampled by py-spy (its own process: it takes CPU from the crawl, so
    this run's wall time is not a figure); the breakdown goes to args.profile."""
    spy = shutil.which("py-spy", path=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    if spy is None:
        raise SystemExit("--profile needs py-spy: pip install py-spy")
    raw = args.profile.with_suffix(".stacks.txt")
    crawl = run_crawl(network, sites_file, out, args.workers, concurrency, args.set,
                      wrapper=(spy, "record", "--format", "raw", "--threads", "--nonblocking",
                               "--rate", str(PROFILE_RATE), "--output", str(raw), "--"))
    if crawl.returncode != 0:
        raise SystemExit(f"the profiled crawl failed:\n{crawl.stderr[-3000:]}")
    table = render_breakdown(read_stacks(raw), PROFILE_RATE, crawl.fetched)
    header = (f"# py-spy {PROFILE_RATE} Hz, main (reactor) thread of `newscrawl crawl`, "
              f"{crawl.fetched} article pages, {crawl.rows} rows; load average "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    args.profile.write_text(header + table, encoding="utf-8")
    print(f"\nwhere the crawl process's main thread spent its CPU (py-spy, {raw}):\n{table}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, metavar="DIR",
                        help="corpus mode: copies of the real pages in DIR/html/*.html.gz "
                             "(e.g. ../shared/eval/corpus); without it, synthetic pages")
    parser.add_argument("--pages", type=int,
                        help="article pages served (default 3000 in corpus mode, else 2000)")
    parser.add_argument("--concurrency", type=int,
                        help="CONCURRENT_REQUESTS (default 32 in corpus mode, else 64)")
    parser.add_argument("--sites", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2, help="extraction processes")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--days", type=int, default=30, help="spread of publication dates")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--page-kb", type=int, default=200,
                        help="synthetic mode: page weight; the default makes plain trafilatura "
                             "cost what it costs on real news pages (~30 ms); 0 = bare template")
    parser.add_argument("--no-inline", action="store_true", help="skip the inline crawl")
    parser.add_argument("--profile", type=Path, metavar="FILE",
                        help="after the timed runs, one more crawl under py-spy (pip install "
                             "py-spy); writes where the crawl process's CPU went per page to "
                             "FILE and its raw stacks beside it")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="extra crawl setting, e.g. CONCURRENT_ITEMS=1 (repeatable)")
    args = parser.parse_args()
    concurrency = args.concurrency or (32 if args.corpus else 64)

    started = time.perf_counter()
    if args.corpus:
        network, sources = build_corpus_network(args.corpus, args.pages or 3000, args.sites,
                                                args.days, args.seed)
        what = f"unique copies of {sources} real pages from {args.corpus}"
    else:
        network = build_network(args.pages or 2000, args.sites, args.days, args.seed,
                                args.page_kb)
        what = f"synthetic pages ({args.page_kb} KB target), layouts {', '.join(LAYOUTS)}"
    pages = sum(len(s.pages) for s in network)
    sizes = sorted(len(b) for s in network for b in s.pages.values())
    print(f"{pages} article pages: {what}; {sum(sizes) / MB:.1f} MB, median "
          f"{sizes[len(sizes) // 2] / 1024:.0f} KB; on {len(network)} sites; built in "
          f"{time.perf_counter() - started:.1f}s\n{os.cpu_count()} CPUs, {args.workers} "
          f"extraction workers, CONCURRENT_REQUESTS={concurrency}, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
          + (f"; extra settings {' '.join(args.set)}" if args.set else ""))
    rate, cpu_ms = measure_servers(network)
    print(f"SiteServers alone: {rate:.0f} req/s to a 16-thread client, "
          f"{cpu_ms:.2f} ms server CPU per request")

    figures = Figures()
    broken = False
    with tempfile.TemporaryDirectory(prefix="nc-bench-") as tmp:
        sites_file = Path(tmp) / "sites.toml"
        write_sites_file(network, sites_file)
        # Baselines and crawls alternate, starting and ending with a baseline: each crawl is
        # compared with the mean of the baselines run just before and just after it, so a
        # machine whose speed drifts over minutes (a shared host) moves both sides alike.
        bases = [measure_baseline(figures, network, args.workers, pages)]
        for repeat in range(args.repeat):
            runs = [("crawl", args.workers)] + ([] if args.no_inline else [("inline", 0)])
            crawls = {}
            for label, workers in runs:
                out = Path(tmp) / f"{label}-{repeat}"
                crawl = run_crawl(network, sites_file, out, workers, concurrency, args.set)
                print(f"{label} run {repeat + 1}: exit {crawl.returncode}, {crawl.rows} rows "
                      f"from {crawl.fetched}/{pages} pages fetched; dropped by reason: "
                      f"{json.dumps(crawl.dropped, sort_keys=True)}", file=sys.stderr)
                if crawl.returncode != 0 or crawl.fetched < pages or \
                        pages - crawl.unique_urls > sum(crawl.dropped.values()):
                    broken = True  # a page never fetched, or lost without a counted reason
                    print(crawl.stderr[-3000:], file=sys.stderr)
                record_crawl(figures, label, crawl, pages)
                crawls[label] = crawl
            bases.append(measure_baseline(figures, network, args.workers, pages))
            before, after = bases[-2], bases[-1]
            crawl = crawls["crawl"]
            baseline_rate = pages / statistics.mean([before.seconds, after.seconds])
            ratio = crawl.fetched / crawl.wall / baseline_rate
            figures.add("ratio crawl/baseline (wall)", ratio)
            figures.add("ratio crawl/baseline (fetch window)",
                        crawl.fetched / max(crawl.fetch_window, 1e-9) / baseline_rate)
            # CPU per page is what a quiet machine turns into the wall-clock ratio (both sides
            # keep the cores busy); it moves far less with other load than the wall figures.
            crawl_cpu = crawl.cpu_reactor + crawl.cpu_helpers + crawl.cpu_children
            figures.add("ratio baseline CPU/crawl CPU per page",
                        statistics.mean([before.cpu, after.cpu]) / crawl_cpu)
            if "inline" in crawls:
                figures.add("ratio pool/inline crawl (wall)", crawls["inline"].wall / crawl.wall)
            print(f"run {repeat + 1}/{args.repeat} done: wall ratio {ratio:.3f} (baselines "
                  f"{before.seconds:.1f} s before, {after.seconds:.1f} s after; crawl "
                  f"{crawl.wall:.1f} s)", file=sys.stderr)
        if args.profile:
            profile_crawl(network, sites_file, Path(tmp) / "profiled", args, concurrency)
    figures.print({
        "ratio crawl/baseline (wall)": f">= 0.85 with {args.workers} workers",
        "crawl: peak RSS MB (all procs)": "< 1024",
        f"crawl: RSS last/{MIDPOINT_PAGES}": "<= 1.20",
        "crawl: rows missing": "0",
    })
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
