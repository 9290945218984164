"""Extraction quality and cost: newscrawl's extractor vs plain trafilatura, same pages, same run.

    python bench/extraction_quality.py CORPUS_DIR [--scorer PATH] [--lang en] [--limit N]
                                       [--folds 5]

CORPUS_DIR holds `manifest.jsonl` (id, url, html path, gold fields) and the gzipped pages, in
the layout of the shared eval corpus. The script writes both prediction files into a temp
directory, runs the corpus scorer (`score.py`, by default the one beside CORPUS_DIR) on each,
and prints the two score tables side by side plus the per-page extraction time of each; then
the same per source group (the manifest's `source_repo`: benchmarks of different origin), the
pages whose gold has a body or snippets but which gave no record, and the pages where our text
has under half the words of plain trafilatura's (with both body F1s, so a page where the extra
words were comments or another post is told apart from one where we lost the story).

Cross-validated figures: the shipped metadata weights (`newscrawl/extract/metadata_model.json`,
see `bench/fit_metadata.py`) were fitted on these very pages, so the in-sample column flatters
them. With `--folds K` (default 5) every page is extracted once more with weights fitted on
the other folds' sites only (grouped by the manifest's `domain`), and that column is printed
beside the in-sample one, the per-group table too. Quote the cross-validated figures.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import trafilatura
from fit_metadata import collect, fit, make_folds

from newscrawl.extract import extract_article
from newscrawl.extract.learned import MODEL_PATH, MetadataModel
from newscrawl.extract.text import count_words

METRICS = ("body_p", "body_r", "body_f1", "snip_acc", "title_em", "date_em", "author_any",
           "empty")


def load_manifest(corpus: Path, limit: int | None) -> list[dict]:
    lines = (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    pages = [json.loads(line) for line in lines if line.strip()]
    return pages[:limit] if limit else pages


def run_ours(pages: list[dict], bodies: list[bytes], model: MetadataModel | None = None,
             ) -> tuple[list[dict], float]:
    out, start = [], time.perf_counter()
    for page, body in zip(pages, bodies, strict=True):
        result = extract_article(body, page["url"], model=model)
        record = result.record or {}
        out.append({"id": page["id"], "title": record.get("title"), "reason": result.reason,
                    "page_kind": result.page_kind,
                    "authors": record.get("authors") or [],
                    # the date as the page states it; the record keeps the UTC moment
                    "date": result.published_local, "text": record.get("text") or ""})
    return out, time.perf_counter() - start


def run_cross_validated(pages: list[dict], bodies: list[bytes], folds: int) -> list[dict]:
    """Our predictions with every fitted part fitted without the page's site: grouped k-fold
    by domain; each fold's pages are extracted with weights fitted on the other folds' pages
    (the fields the shipped model fits, with its penalty)."""
    shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    fields, l2 = list(shipped["fields"]), float(shipped["l2"])
    fold_of = make_folds([p["domain"] for p in pages], folds)
    choices = collect(pages, bodies)
    predictions: dict[str, dict] = {}
    for fold in range(folds):
        weights = {name: fit([c for c in choices[name] if fold_of[c.domain] != fold], l2)
                   for name in fields}
        held = [(p, b) for p, b in zip(pages, bodies, strict=True)
                if fold_of[p["domain"]] == fold]
        rows, _ = run_ours([p for p, _ in held], [b for _, b in held], MetadataModel(weights))
        predictions.update((row["id"], row) for row in rows)
    return [predictions[p["id"]] for p in pages]


def run_trafilatura(pages: list[dict], bodies: list[bytes]) -> tuple[list[dict], float]:
    out, start = [], time.perf_counter()
    for page, body in zip(pages, bodies, strict=True):
        doc = trafilatura.bare_extraction(body, url=page["url"], with_metadata=True,
                                          include_comments=False)
        fields = doc.as_dict() if doc is not None else {}
        out.append({"id": page["id"], "title": fields.get("title"),
                    "authors": fields.get("author") or "", "date": fields.get("date"),
                    "text": fields.get("text") or ""})
    return out, time.perf_counter() - start


def score(scorer: Path, manifest: Path, predictions: list[dict], workdir: Path, name: str,
          lang: str | None) -> dict:
    pred_path = workdir / f"{name}.jsonl"
    pred_path.write_text("\n".join(json.dumps(p) for p in predictions), encoding="utf-8")
    out_path = workdir / f"{name}.scores.json"
    cmd = [sys.executable, str(scorer), str(pred_path), "--manifest", str(manifest),
           "--json", str(out_path), "--per-page", str(workdir / f"{name}.pages.jsonl")]
    if lang:
        cmd += ["--lang", lang]
    subprocess.run(cmd, check=True, capture_output=True)
    return json.loads(out_path.read_text())


def flatten(scores: dict, prefix: str = "") -> dict[str, float]:
    flat: dict[str, float] = {}
    for key, value in scores.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        elif isinstance(value, (int, float)):
            flat[f"{prefix}{key}"] = float(value)
    return flat


def read_jsonl(path: Path) -> dict[str, dict]:
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line)
    return {row["id"]: row for row in rows}


def group_means(rows: dict[str, dict], groups: dict[str, str]) -> dict[str, dict[str, tuple]]:
    """Per group and metric: (mean, n) over the pages scored on that metric."""
    sums: dict[str, dict[str, list[float]]] = {}
    for pid, row in rows.items():
        for metric in METRICS:
            if isinstance(row.get(metric), (int, float)):
                sums.setdefault(groups[pid], {}).setdefault(metric, []).append(row[metric])
    return {g: {m: (sum(v) / len(v), len(v)) for m, v in by.items()} for g, by in sums.items()}


def print_groups(workdir: Path, pages: list[dict], name: str = "newscrawl") -> None:
    groups = {p["id"]: p.get("source_repo") or "?" for p in pages}
    ours = group_means(read_jsonl(workdir / f"{name}.pages.jsonl"), groups)
    base = group_means(read_jsonl(workdir / "trafilatura.pages.jsonl"), groups)
    print(f"\nper source group ({name} / plain trafilatura; * where {name} is behind)")
    print(f"{'source_repo':<42}" + "".join(f"{m:>15}" for m in METRICS[2:]))
    for group in sorted(ours):
        cells = []
        for metric in METRICS[2:]:
            a, _ = ours[group].get(metric, (float("nan"), 0))
            b, _ = base[group].get(metric, (float("nan"), 0))
            behind = (a > b) if metric == "empty" else (a < b - 1e-9)
            cells.append(f"{a:.3f}/{b:.3f}{'*' if behind else ' '}")
        count = sum(1 for g in groups.values() if g == group)
        print(f"{f'{group} ({count})':<42}" + "".join(f"{c:>15}" for c in cells))


def print_losses(pages: list[dict], ours: list[dict], base: list[dict], workdir: Path) -> None:
    per_ours = read_jsonl(workdir / "newscrawl.pages.jsonl")
    per_base = read_jsonl(workdir / "trafilatura.pages.jsonl")
    lost = [(p, o) for p, o in zip(pages, ours, strict=True)
            if (p.get("body") or p.get("with")) and not o["text"]]
    print(f"\npages with gold body/snippets that gave no record: {len(lost)} (target 0)")
    for page, row in lost:
        print(f"  {page['source_repo']:<42} {page['id']}: {row['reason']} ({row['page_kind']})")
    short = [(p, count_words(o["text"]), count_words(b["text"]))
             for p, o, b in zip(pages, ours, base, strict=True)]
    short = [(p, a, b) for p, a, b in short if a < 0.5 * b]
    print(f"pages where our text has under half of plain trafilatura's words: {len(short)}"
          " (target 0)")
    for page, a, b in short:
        f1 = per_ours[page["id"]].get("body_f1")
        f1_base = per_base[page["id"]].get("body_f1")
        gold = f"body F1 {f1:.3f} vs {f1_base:.3f}" if f1 is not None else "no gold body"
        print(f"  {page['source_repo']:<42} {page['id']}: {a} vs {b} words; {gold}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--scorer", type=Path)
    parser.add_argument("--lang")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--rounds", type=int, default=3, help="timing rounds (fastest kept)")
    parser.add_argument("--keep", type=Path, help="keep predictions and per-page scores here")
    parser.add_argument("--folds", type=int, default=5,
                        help="cross-validation folds, grouped by domain (0: in-sample only)")
    args = parser.parse_args()
    scorer = args.scorer or args.corpus.parent / "score.py"
    pages = load_manifest(args.corpus, args.limit)
    bodies = [gzip.decompress((args.corpus / p["html"]).read_bytes()) for p in pages]
    # Warm both up once so import-time and first-call costs do not land on either side.
    extract_article(bodies[0], pages[0]["url"])
    trafilatura.bare_extraction(bodies[0], url=pages[0]["url"], with_metadata=True)
    # Alternate the two over several rounds and keep each one's fastest: other load on the
    # machine then inflates neither side more than the other.
    ours_times, base_times = [], []
    for _ in range(args.rounds):
        ours, ours_s = run_ours(pages, bodies)
        base, base_s = run_trafilatura(pages, bodies)
        ours_times.append(ours_s)
        base_times.append(base_s)
    ours_s, base_s = min(ours_times), min(base_times)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="nc-quality-"))
    workdir.mkdir(parents=True, exist_ok=True)
    manifest = args.corpus / "manifest.jsonl"
    a = flatten(score(scorer, manifest, ours, workdir, "newscrawl", args.lang))
    b = flatten(score(scorer, manifest, base, workdir, "trafilatura", args.lang))
    cv = a
    if args.folds:
        cv_rows = run_cross_validated(pages, bodies, args.folds)
        cv = flatten(score(scorer, manifest, cv_rows, workdir, "newscrawl-cv", args.lang))
    print(f"{len(pages)} pages from {args.corpus}; newscrawl in-sample (shipped weights, "
          "fitted on these pages) and cross-validated " + (
              f"(grouped {args.folds}-fold by domain: each page extracted with weights fitted "
              "without its site)" if args.folds else "(not run: --folds 0; a copy of in-sample)"))
    print(f"{'group / metric (mean, n)':<44}{'in-sample':>10}{'cross-val':>10}"
          f"{'trafilatura':>13}{'cv delta':>9}")
    for key in a:
        if key in b and key.endswith(".mean") and key.split(".")[-2] in METRICS \
                and key.startswith("groups.all/"):
            n = int(a.get(key[:-len("mean")] + "n", 0))
            label = f"{key.removeprefix('groups.').removesuffix('.mean')} (n={n})"
            print(f"{label:<44}{a[key]:>10.3f}{cv[key]:>10.3f}{b[key]:>13.3f}"
                  f"{cv[key] - b[key]:>+9.3f}")
    per_ours, per_base = 1000 * ours_s / len(pages), 1000 * base_s / len(pages)
    ratios = sorted(o / b for o, b in zip(ours_times, base_times, strict=True))
    print(f"\nper-page time (fastest of {args.rounds} rounds): newscrawl {per_ours:.1f} ms, "
          f"trafilatura {per_base:.1f} ms, ratio {per_ours / per_base:.2f}x "
          f"(per-round ratios {', '.join(f'{r:.2f}' for r in ratios)})")
    print_groups(workdir, pages)
    if args.folds:
        print_groups(workdir, pages, "newscrawl-cv")
    print_losses(pages, ours, base, workdir)
    print(f"predictions and per-page scores: {workdir}")


if __name__ == "__main__":
    main()
