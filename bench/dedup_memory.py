"""Memory and lookup cost of the near-duplicate index per article, embedded and in Redis,
against the datasketch index it replaced (bench/near_datasketch.py) in the same run.

    python bench/dedup_memory.py [--articles 100000] [--labelled 500] [--no-redis]

Every article is really inserted through the index's own `add` (the datasketch Redis
baseline through datasketch's insertion session, which stores the same keys, since its
plain insert takes ~5 ms an article). The index holds `--labelled` generated stories plus
random MinHash values for the rest (what an index stores does not depend on the text).

- embedded: the index is written to SQLite (add + commit), then a fresh process loads it as
  a crawl's first find() does; memory is that process's RSS growth over the load.
- Redis: a redis-server started here on a free port per implementation; memory is the
  growth of INFO memory `used_memory` over the inserts.
- lookup: find() on new texts with their signature given (as the crawl's pipeline calls it;
  MinHash itself costs ~0.7 ms a text in the extraction worker either way): syndicated
  copies of indexed stories (closing paragraphs cut, words changed, a partner's note
  added), follow-ups reusing 2-4 paragraphs of an indexed story, and unrelated stories.
  Each implementation's decisions are compared with the baseline's, id by id.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1]))

from newscrawl.dedup.near import NUM_PERM, shingles, signature

IMPLEMENTATIONS = ("datasketch", "bands")
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "or")]
PARTNER_NOTE = "This story first ran on a partner site and is republished with permission."


@dataclass
class Probe:
    kind: str  # copy, follow-up, unrelated
    text: str
    original: int | None  # index of the story it derives from
    jaccard: float


def labelled_set(count: int, seed: int = 11) -> tuple[list[str], list[Probe]]:
    """`count` stories to index, and 3 * `count` probes not in the index."""
    rng = np.random.default_rng(seed)
    words = sorted({"".join(rng.choice(SYLLABLES, size=rng.integers(1, 4))) for _ in range(40000)})
    cdf = np.cumsum(1.0 / np.arange(1, len(words) + 1))  # Zipf-like word frequencies
    cdf /= cdf[-1]

    def paragraph() -> str:
        picks = np.searchsorted(cdf, rng.random(rng.integers(40, 90)))
        return " ".join(words[i] for i in picks) + "."

    def story() -> list[str]:
        return [paragraph() for _ in range(rng.integers(6, 11))]

    def jaccard(a: str, b: str) -> float:
        x, y = shingles(a), shingles(b)
        return len(x & y) / len(x | y)

    stories = [story() for _ in range(count)]
    originals = ["\n\n".join(s) for s in stories]
    probes = []
    for n, paragraphs in enumerate(stories):
        kept = list(paragraphs[:len(paragraphs) - int(rng.integers(0, 2))])
        for _ in range(rng.integers(0, 5)):
            p = int(rng.integers(0, len(kept)))
            tokens = kept[p].split()
            tokens[int(rng.integers(0, len(tokens)))] = words[int(rng.integers(0, len(words)))]
            kept[p] = " ".join(tokens)
        copy = "\n\n".join([*kept, PARTNER_NOTE])
        probes.append(Probe("copy", copy, n, jaccard(originals[n], copy)))
        reused = int(rng.integers(2, 5))
        follow = "\n\n".join(paragraphs[:reused] + story()[:int(rng.integers(2, 6))])
        probes.append(Probe("follow-up", follow, n, jaccard(originals[n], follow)))
        probes.append(Probe("unrelated", "\n\n".join(story()), None, 0.0))
    return originals, probes


def article_id(n: int) -> str:
    return f"{n:016x}"


def values_of(texts: list[str]) -> np.ndarray:
    rows = []
    for text in texts:
        minhash = signature(text)
        assert minhash is not None
        rows.append(minhash.hashvalues.astype(np.uint64))
    return np.stack(rows)


def rss_mb() -> float:
    gc.collect()
    return psutil.Process(os.getpid()).memory_info().rss / 2**20


# -- child processes: one fresh process per measurement ---------------------------------------


def _minhashes(values: np.ndarray) -> list[object]:
    from datasketch import LeanMinHash

    from newscrawl.dedup.near import minhash_scheme

    return [LeanMinHash(seed=1, hashvalues=row, scheme=minhash_scheme()) for row in values]


def _blobs(impl: str, values: np.ndarray) -> list[bytes]:
    """Each implementation's own signature_bytes format (uint64 before, uint32 now)."""
    dtype = np.uint64 if impl == "datasketch" else np.dtype("<u4")
    return [row.astype(dtype).tobytes() for row in values]


def _embedded_index(impl: str, db: Path) -> object:
    if impl == "datasketch":
        from near_datasketch import DatasketchNearDuplicateIndex

        return DatasketchNearDuplicateIndex(db)
    from newscrawl.dedup.near import NearDuplicateIndex

    return NearDuplicateIndex(db)


def _finds(index: object, impl: str, probes: np.ndarray) -> tuple[float, list[str | None]]:
    """(µs per find, the decisions) over the probes, given as signature bytes."""
    blobs, matches = _blobs(impl, probes), []
    index.find("", "warm-up", blobs[0])  # type: ignore[attr-defined]  # lazy imports
    start = time.perf_counter()
    for n, blob in enumerate(blobs):
        matches.append(index.find("", f"probe-{n}", blob)[0])  # type: ignore[attr-defined]
    return (time.perf_counter() - start) / len(blobs) * 1e6, matches


def child_build_embedded(impl: str, db: Path, values_path: Path) -> dict[str, object]:
    values = np.load(values_path)
    index = _embedded_index(impl, db)
    now = datetime.now(UTC)
    start = time.perf_counter()
    for first in range(0, len(values), 500):  # the pipeline commits a part at a time
        chunk = _minhashes(values[first:first + 500])
        for n, minhash in enumerate(chunk, start=first):
            index.add(article_id(n), minhash, now)  # type: ignore[attr-defined]
        index.commit([article_id(n) for n in range(first, first + len(chunk))])  # type: ignore[attr-defined]
    index.close()  # type: ignore[attr-defined]
    return {"write_s": time.perf_counter() - start, "disk_mb": db.stat().st_size / 2**20}


def child_load_embedded(impl: str, db: Path, probes_path: Path) -> dict[str, object]:
    probes = np.load(probes_path)
    _embedded_index(impl, db).close()  # imports and schema check outside the measurement
    before = rss_mb()
    index = _embedded_index(impl, db)
    start = time.perf_counter()
    index._index()  # type: ignore[attr-defined]  # what a run's first find() does
    load_s = time.perf_counter() - start
    after = rss_mb()
    find_us, matches = _finds(index, impl, probes)
    return {"mb": after - before, "load_s": load_s, "find_us": find_us, "matches": matches}


def child_redis(impl: str, values_path: Path, probes_path: Path) -> dict[str, object]:
    import redis

    from tests.redis_server import redis_server

    values, probes = np.load(values_path), np.load(probes_path)
    with redis_server() as url:
        client = redis.Redis.from_url(url)
        base = int(client.info("memory")["used_memory"])
        start = time.perf_counter()
        if impl == "datasketch":
            from near_datasketch import DatasketchRedisNearDuplicateIndex

            index: object = DatasketchRedisNearDuplicateIndex(url, "bench")
            _datasketch_bulk_add(index, client, values)
        else:
            from newscrawl.dedup.near_redis import RedisNearDuplicateIndex

            index = RedisNearDuplicateIndex(url, "bench")
            for first in range(0, len(values), 1000):
                for n, minhash in enumerate(_minhashes(values[first:first + 1000]), first):
                    index.add(article_id(n), minhash, None)  # type: ignore[attr-defined]
        write_s = time.perf_counter() - start
        used = int(client.info("memory")["used_memory"]) - base
        keys = int(client.dbsize())
        find_us, matches = _finds(index, impl, probes)
        index.close()  # type: ignore[attr-defined]
        client.close()
    return {"mb": used / 2**20, "write_s": write_s, "keys": keys, "find_us": find_us,
            "matches": matches}


def _datasketch_bulk_add(index: object, client: object, values: np.ndarray) -> None:
    """The baseline's keys, written through datasketch's buffered insertion session."""
    from newscrawl.state.redis_keys import redis_key as key

    lsh = index._lsh  # type: ignore[attr-defined]
    for first in range(0, len(values), 5000):
        chunk = values[first:first + 5000]
        with lsh.insertion_session(buffer_size=5000) as session:
            for n, minhash in enumerate(_minhashes(chunk), first):
                session.insert(article_id(n), minhash, check_duplication=False)
        pipe = client.pipeline(transaction=False)  # type: ignore[attr-defined]
        for n, row in enumerate(chunk, first):
            pipe.hset(key("bench", "signatures"), article_id(n), row.astype(np.uint64).tobytes())
        pipe.execute()


CHILDREN = {"build-embedded": child_build_embedded, "load-embedded": child_load_embedded,
            "redis": child_redis}


def run_child(name: str, *args: object) -> dict[str, object]:
    out = subprocess.run([sys.executable, __file__, "--child", name, *map(str, args)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.splitlines()[-1])  # type: ignore[no-any-return]


# -- the parent: data, runs, table ------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--labelled", type=int, default=500,
                        help="generated stories among the articles (3 probes each)")
    parser.add_argument("--no-redis", action="store_true")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, *rest = args.child
        print(json.dumps(CHILDREN[name](rest[0], *map(Path, rest[1:]))))
        return

    originals, probes = labelled_set(args.labelled)
    rng = np.random.default_rng(7)
    background = rng.integers(0, 2**32, size=(args.articles - len(originals), NUM_PERM),
                              dtype=np.uint64)
    results: dict[tuple[str, str], dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        values, probe_values = Path(tmp) / "values.npy", Path(tmp) / "probes.npy"
        np.save(values, np.concatenate([values_of(originals), background]))
        np.save(probe_values, values_of([p.text for p in probes]))
        del background
        for impl in IMPLEMENTATIONS:
            db = Path(tmp) / f"{impl}.sqlite"
            built = run_child("build-embedded", impl, db, values)
            results["embedded", impl] = {**built,
                                         **run_child("load-embedded", impl, db, probe_values)}
            if not args.no_redis:
                results["Redis", impl] = run_child("redis", impl, values, probe_values)
    report(args.articles, probes, results)


def report(articles: int, probes: list[Probe],
           results: dict[tuple[str, str], dict[str, object]]) -> None:
    expected = [article_id(p.original) if p.kind == "copy" else None for p in probes]
    print(f"near-duplicate index, {articles} articles inserted; "
          f"{len(probes)} lookups of new texts")
    for kind in ("copy", "follow-up"):
        js = [p.jaccard for p in probes if p.kind == kind]
        print(f"  {kind}: true Jaccard to its story {min(js):.2f}-{max(js):.2f}, "
              f"median {float(np.median(js)):.2f}")
    print()
    print("| implementation | articles | MB total | bytes/article | ratio vs old | "
          "lookup µs/article | decisions = old | copies found | distinct flagged |")
    print("|---|---|---|---|---|---|---|---|---|")
    copies = sum(p.kind == "copy" for p in probes)
    for (where, impl), result in results.items():
        old = results[where, "datasketch"]
        per_article = float(result["mb"]) * 2**20 / articles  # type: ignore[arg-type]
        ratio = float(old["mb"]) / float(result["mb"])  # type: ignore[arg-type]
        matches = result["matches"]
        agree = sum(a == b for a, b in zip(matches, old["matches"], strict=True))  # type: ignore[call-overload]
        found = sum(m == e for m, e in zip(matches, expected, strict=True)  # type: ignore[call-overload]
                    if e is not None)
        wrong = sum(m is not None for m, e in zip(matches, expected, strict=True)  # type: ignore[call-overload]
                    if e is None)
        print(f"| {where} {impl} | {articles} | {float(result['mb']):.1f} | "  # type: ignore[arg-type]
              f"{per_article:.0f} | {ratio:.1f}x | {float(result['find_us']):.0f} | "  # type: ignore[arg-type]
              f"{agree}/{len(probes)} | {found}/{copies} | {wrong}/{len(probes) - copies} |")
    print()
    for (where, impl), result in results.items():
        extra = (f"SQLite {float(result['disk_mb']):.0f} MB on disk, load "  # type: ignore[arg-type]
                 f"{float(result['load_s']):.1f} s" if where == "embedded"  # type: ignore[arg-type]
                 else f"{result['keys']} keys")
        print(f"  {where} {impl}: insert {float(result['write_s']):.1f} s; {extra}")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
