"""Distributed mode: throughput of 1 vs N worker processes sharing one Redis, same pages.

    python bench/distributed_throughput.py --redis redis://127.0.0.1:6379/9 [--pages 1000]
        [--workers 1 2] [--page-kb 200]

Serves the same local sites as bench/crawl_throughput.py, then for each worker count: clears
the Redis database (it is FLUSHED: use a scratch one), seeds, starts that many
`newscrawl crawl --redis` processes on one machine (each with one extraction process, so the
CPU given to extraction is the same per worker), and reports pages/s from start to the last
worker's exit, the rows written, and Redis memory per 100k articles.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.dataset as ds
import redis

sys.path.insert(0, str(Path(__file__).parent))
from crawl_throughput import build_network, write_sites_file

LOCAL = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS=32",
         "CONCURRENT_REQUESTS_PER_DOMAIN=8", "LOG_LEVEL=WARNING", "NEWSCRAWL_PROGRESS=off",
         "NEWSCRAWL_EXTRACT_WORKERS=1")


def run(workers: int, sites_file: Path, url: str, tmp: Path) -> tuple[float, int, float]:
    client = redis.Redis.from_url(url)
    client.flushdb()
    out = tmp / f"dist-{workers}"
    seed = [sys.executable, "-m", "newscrawl.cli", "seed", "--sites", str(sites_file),
            "--out", str(out), "--redis", url]
    subprocess.run(seed, check=True, capture_output=True)
    start = time.perf_counter()
    procs = []
    for n in range(workers):
        cmd = [sys.executable, "-m", "newscrawl.cli", "crawl", "--sites", str(sites_file),
               "--out", str(out), "--redis", url, "--idle-exit", "2", "--worker", f"w{n}"]
        for setting in LOCAL:
            cmd += ["-s", setting]
        procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
    for proc in procs:
        proc.wait()
    # The idle wait before exit is not crawl time.
    elapsed = time.perf_counter() - start - 2
    rows = ds.dataset(str(out), format="parquet", partitioning="hive").count_rows()
    memory = int(client.info("memory")["used_memory"]) / 2**20
    client.close()
    return elapsed, rows, memory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--redis", required=True)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--sites", type=int, default=4)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--page-kb", type=int, default=200)  # as crawl_throughput.py
    args = parser.parse_args()
    network = build_network(args.pages, args.sites, 30, 5, args.page_kb)
    try:
        with tempfile.TemporaryDirectory(prefix="nc-dist-") as tmp:
            sites_file = Path(tmp) / "sites.toml"
            write_sites_file(network, sites_file)
            results = {}
            for workers in args.workers:
                elapsed, rows, memory = run(workers, sites_file, args.redis, Path(tmp))
                results[workers] = rows / elapsed
                print(f"{workers} worker process(es): {rows} rows in {elapsed:.1f} s = "
                      f"{rows / elapsed:.1f} pages/s; Redis used_memory {memory:.0f} MB "
                      f"({memory * 100_000 / max(rows, 1):.0f} MB per 100k articles)")
            if 1 in results:
                for workers, rate in results.items():
                    print(f"speed-up with {workers}: {rate / results[1]:.2f}x")
    finally:
        for site in network:
            site.server.stop()


if __name__ == "__main__":
    main()
