"""Where a crawl process's CPU went, per page, from py-spy's raw (collapsed) stacks.

    python bench/profile_breakdown.py STACKS.txt --pages 3000 [--rate 250]

bench/crawl_throughput.py --profile FILE records the stacks (`py-spy record --format raw
--threads`) and calls this. Each sample of a thread is put in one category: the first frame
from the leaf up that a rule below names, so a SQLite call made by the near-duplicate index
counts as the index's, a pickle made by pebble as a transfer, and Scrapy code that calls our
spider counts as the spider's. py-spy leaves out samples where a thread sleeps (the reactor
waiting in epoll), so samples / rate is the time the thread was active: on a CPU, waiting
for one (on a loaded machine), or blocked in a disk wait such as fsync. All three hold the
reactor up; only the first shows in CPU-time figures.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# (category, path fragment, function name or None for any), checked per frame in order.
RULES: tuple[tuple[str, str, str | None], ...] = (
    ("state SQLite (dedup/state reads+writes)", "newscrawl/dedup/near.py", "commit"),
    ("state SQLite (dedup/state reads+writes)", "newscrawl/dedup/near.py", "_signature_of"),
    ("MinHash / near-dup lookup", "newscrawl/dedup/near.py", None),
    ("MinHash / near-dup lookup", "datasketch/", None),
    ("state SQLite (dedup/state reads+writes)", "newscrawl/state/", None),
    ("state SQLite (dedup/state reads+writes)", "sqlite3/", None),
    ("Parquet writing", "newscrawl/storage/", None),
    ("Parquet writing", "pyarrow/", None),
    ("transfers to workers (pickle, pebble, futures)", "pebble/", None),
    ("transfers to workers (pickle, pebble, futures)", "multiprocessing/", None),
    ("transfers to workers (pickle, pebble, futures)", "concurrent/futures/", None),
    ("transfers to workers (pickle, pebble, futures)", "copyreg.py", None),
    ("transfers to workers (pickle, pebble, futures)", "newscrawl/crawl/pool.py", None),
    ("logging / stats / progress", "logging/", None),
    ("logging / stats / progress", "scrapy/statscollectors.py", None),
    ("logging / stats / progress", "scrapy/logformatter.py", None),
    ("logging / stats / progress", "newscrawl/crawl/stats.py", None),
    ("logging / stats / progress", "newscrawl/crawl/report.py", None),
    ("logging / stats / progress", "rich/", None),
    ("our crawl code (spider, discovery, pipelines, extract)", "newscrawl/", None),
    ("Scrapy internals", "scrapy/", None),
    ("Twisted / asyncio (reactor, HTTP, sockets)", "twisted/", None),
    ("Twisted / asyncio (reactor, HTTP, sockets)", "asyncio/", None),
)
OTHER = "other (stdlib, start-up imports)"
_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


@dataclass
class ThreadStacks:
    name: str
    samples: int = 0
    by_category: Counter[str] = field(default_factory=Counter)
    by_leaf: Counter[str] = field(default_factory=Counter)  # our own leaf-most functions


def parse_frame(frame: str) -> tuple[str, str]:
    match = _FRAME.match(frame.strip())
    if match is None:
        return frame.strip(), ""
    return match.group("func"), match.group("file")


def categorize(frames: list[tuple[str, str]]) -> str:
    """The category of a stack (root first): its leaf-most frame that a rule names."""
    for func, path in reversed(frames):
        for category, fragment, name in RULES:
            if fragment in path and (name is None or func.rsplit(".", 1)[-1] == name):
                return category
    return OTHER


def read_stacks(path: Path) -> dict[str, ThreadStacks]:
    """Thread label -> its samples, from a `py-spy record --format raw --threads` file."""
    threads: dict[str, ThreadStacks] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        parts = stack.split(";")
        label = next((p for p in parts if p.startswith("thread ")), "thread ?")
        frames = [parse_frame(p) for p in parts
                  if not p.startswith(("thread ", "process "))]
        entry = threads.setdefault(label, ThreadStacks(label))
        count = int(count_text)
        entry.samples += count
        entry.by_category[categorize(frames)] += count
        ours = next(((f, p) for f, p in reversed(frames)
                     if "newscrawl/" in p and not p.endswith("newscrawl/cli.py")), None)
        if ours is not None:
            entry.by_leaf[f"{ours[0]} ({ours[1].split('newscrawl/', 1)[1]})"] += count
    return threads


def render_breakdown(threads: dict[str, ThreadStacks], rate: float, pages: int) -> str:
    """A Markdown table per thread group: the busiest thread (the reactor's main thread)
    by category, then the other threads together, then our busiest functions."""
    if not threads or pages <= 0:
        return "(no samples)\n"
    ordered = sorted(threads.values(), key=lambda t: t.samples, reverse=True)
    main = next((t for t in ordered if "MainThread" in t.name), ordered[0])
    rest = [t for t in ordered if t is not main]

    def ms(samples: int) -> float:
        return 1000 * samples / rate / pages

    lines = [f"main thread ({main.name}): {ms(main.samples):.2f} ms active per page "
             f"({main.samples / rate:.1f} s over {pages} pages; active = on a CPU, waiting "
             "for one, or blocked in a disk wait such as fsync)", "",
             "| main thread, by category | ms/page | share |", "|---|---|---|"]
    for category, count in main.by_category.most_common():
        lines.append(f"| {category} | {ms(count):.2f} | {count / main.samples:.0%} |")
    lines.append(f"| **total** | **{ms(main.samples):.2f}** | 100% |")
    if rest:
        other = Counter[str]()
        for thread in rest:
            other.update(thread.by_category)
        total = sum(t.samples for t in rest)
        lines += ["", f"other threads of the process ({len(rest)}: pebble's task and result "
                  f"managers, Twisted's pool): {ms(total):.2f} ms per page", "",
                  "| other threads, by category | ms/page |", "|---|---|"]
        lines += [f"| {c} | {ms(n):.2f} |" for c, n in other.most_common()]
    lines += ["", "| main thread: our innermost function on the stack (with the library "
              "code it calls) | ms/page |", "|---|---|"]
    lines += [f"| {name} | {ms(n):.2f} |" for name, n in main.by_leaf.most_common(15)]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stacks", type=Path)
    parser.add_argument("--pages", type=int, required=True)
    parser.add_argument("--rate", type=float, default=250)
    args = parser.parse_args()
    print(render_breakdown(read_stacks(args.stacks), args.rate, args.pages), end="")


if __name__ == "__main__":
    main()
