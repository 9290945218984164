"""Import and reextract throughput and memory vs plain trafilatura in a Pool, same pages.

    python bench/warc_throughput.py ../shared/eval/corpus/html/*.html.gz [--pages 1000]
                                    [--workers 2]

Reads the given saved pages at run time (nothing is copied into the repository), and cycles
through them until `--pages` pages exist, each made unique by a paragraph of its own, then:

- baseline: `trafilatura.extract(body, url=..., with_metadata=True)` over those bodies in a
  `multiprocessing.Pool(workers)` (bodies held in memory, as a fair best case);
- import: `newscrawl import` of a WARC file holding the same pages (gzip per record), with
  `NEWSCRAWL_EXTRACT_WORKERS=workers`, at half and at full size: its peak RSS (the importing
  process, and the whole process tree) stays flat while the file doubles;
- reextract: `newscrawl reextract` over the imported dataset's archive (written by our own
  ArchiveWriter): every page extracted again, all found unchanged.

The figure that matters is pages/s relative to the baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import gzip
import multiprocessing
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import psutil
import trafilatura
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newscrawl.archive.writer import ArchivedPage, ArchiveWriter

HOST = "http://bench.example.test"
SITES = f'[[site]]\nkey = "bench"\nname = "Bench News"\nhome = "{HOST}/"\n'


def load_pages(paths: list[str], count: int) -> list[tuple[str, bytes]]:
    originals = [gzip.decompress(Path(p).read_bytes()) for p in sorted(paths)]
    pages = []
    for n in range(count):
        body = originals[n % len(originals)]
        extra = (f"<p>Bench paragraph {n}: this copy of the page is unique in the run, "
                 f"number {n}.</p>").encode()
        at = body.rfind(b"</body>")
        body = body[:at] + extra + body[at:] if at >= 0 else body + extra
        pages.append((f"{HOST}/story-{n}/", body))
    return pages


def _baseline_task(item: tuple[str, bytes]) -> bool:
    url, body = item
    return trafilatura.extract(body, url=url, with_metadata=True) is not None


def baseline(pages: list[tuple[str, bytes]], workers: int) -> float:
    with multiprocessing.get_context("forkserver").Pool(workers) as pool:
        pool.map(_baseline_task, pages[:workers * 2])  # start and import in every worker
        started = time.perf_counter()
        list(pool.imap_unordered(_baseline_task, pages, chunksize=4))
        return time.perf_counter() - started


def write_warc(path: Path, pages: list[tuple[str, bytes]]) -> None:
    when = datetime(2025, 1, 1, tzinfo=UTC)
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for n, (url, body) in enumerate(pages):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html"),
                                               ("Content-Length", str(len(body)))],
                                    protocol="HTTP/1.1")
            date = (when + timedelta(seconds=n)).strftime("%Y-%m-%dT%H:%M:%SZ")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=BytesIO(body), length=len(body), http_headers=http,
                warc_headers_dict={"WARC-Date": date}))


def archive(root: Path, pages: list[tuple[str, bytes]]) -> None:
    writer = ArchiveWriter(root, "bench")
    writer.open()
    when = datetime(2025, 1, 1, tzinfo=UTC)
    for n, (url, body) in enumerate(pages):
        writer.write(ArchivedPage(url=url, status=200, body=body, site="bench",
                                  fetched_at=when + timedelta(seconds=n),
                                  response_headers=[("Content-Type", "text/html")]))
    writer.close()


def timed(cmd: list[str]) -> tuple[float, int, int, str]:
    """Wall seconds, peak RSS of the process, peak RSS of its tree (bytes), stdout."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peaks = [0, 0]

    def sample() -> None:
        try:
            main = psutil.Process(proc.pid)
            while proc.poll() is None:
                own = main.memory_info().rss
                tree = own + sum(c.memory_info().rss for c in main.children(recursive=True))
                peaks[0], peaks[1] = max(peaks[0], own), max(peaks[1], tree)
                time.sleep(0.1)
        except psutil.Error:
            pass

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, _ = proc.communicate()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[3]} failed (exit {proc.returncode})")
    return time.perf_counter() - started, peaks[0], peaks[1], out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="+", help="saved pages (.html.gz)")
    parser.add_argument("--pages", dest="count", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1,
                        help="baseline, import and reextract again, each round against its own "
                             "baseline: this machine's speed drifts by 10%% between minutes")
    args = parser.parse_args()
    pages = load_pages(args.pages, args.count)
    mb = 1 / (1 << 20)
    print(f"{len(pages)} pages ({sum(len(b) for _, b in pages) * mb:.0f} MB of HTML) from "
          f"{len(args.pages)} files, {args.workers} workers")
    workers = f"NEWSCRAWL_EXTRACT_WORKERS={args.workers}"
    ratios: dict[str, list[float]] = {"import": [], "reextract": []}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        sites = base / "sites.toml"
        sites.write_text(SITES, encoding="utf-8")
        for share in (2, 1):
            write_warc(base / f"in-{share}.warc.gz", pages[:len(pages) // share])
        for round_ in range(1, args.rounds + 1):
            print(f"round {round_}")
            seconds = baseline(pages, args.workers)
            rate = len(pages) / seconds
            print(f"  baseline  trafilatura Pool({args.workers}): {seconds:6.1f} s  "
                  f"{rate:6.1f} pages/s")
            # The half-size import shows memory staying flat while the file doubles; once.
            for share in (2, 1) if round_ == 1 else (1,):
                subset = pages[:len(pages) // share]
                warc = base / f"in-{share}.warc.gz"
                out = base / f"import-{share}"
                shutil.rmtree(out, ignore_errors=True)
                wall, own, tree, _ = timed([sys.executable, "-m", "newscrawl.cli", "import",
                                            str(warc), "--sites", str(sites), "--out", str(out),
                                            "-s", workers])
                ratio = len(subset) / wall / rate
                if share == 1:
                    ratios["import"].append(ratio)
                print(f"  import    {len(subset):5d} pages, WARC {warc.stat().st_size * mb:5.1f} "
                      f"MB: {wall:6.1f} s  {len(subset) / wall:6.1f} pages/s ({ratio:.2f}x "
                      f"baseline; start-up included)  peak RSS {own * mb:.0f} MB, "
                      f"tree {tree * mb:.0f} MB")
            out = base / "import-1"
            archive(out, pages)
            wall, own, tree, stdout = timed([sys.executable, "-m", "newscrawl.cli", "reextract",
                                             str(out), "--sites", str(sites), "-s", workers])
            ratios["reextract"].append(len(pages) / wall / rate)
            print(f"  reextract {len(pages):5d} pages: {wall:6.1f} s  {len(pages) / wall:6.1f} "
                  f"pages/s ({ratios['reextract'][-1]:.2f}x baseline; start-up included)  "
                  f"peak RSS {own * mb:.0f} MB, tree {tree * mb:.0f} MB")
            print("    " + stdout.strip().replace("\n", "\n    "))
    for name, values in ratios.items():
        print(f"{name:9s} / baseline, {len(values)} rounds: "
              + " ".join(f"{v:.2f}" for v in values)
              + f"  (median {statistics.median(values):.2f}, worst {min(values):.2f})")


if __name__ == "__main__":
    main()
