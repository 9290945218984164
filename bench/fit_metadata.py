"""Fit the metadata model (title and date candidate weights) and cross-validate it by site.

    python bench/fit_metadata.py CORPUS_DIR [--folds 5] [--l2 1.0] [--write]

For every page with a gold title or date, the candidates the extractor itself builds (same
code: `title_features`, `date_features`) are labelled right or wrong against the gold (the
scorer's normalisation). A conditional logit (softmax over a page's candidates, L2-penalised,
plain numpy gradient descent) is fitted per field.

Grouped k-fold by the manifest's `domain`: the weights are fitted on the other folds' sites
and choose on the held-out sites, so no site is scored by weights fitted on its own pages.
The hand-set vote (`reconcile.py`) is scored on the same pages. `--write` fits on every page
and writes `newscrawl/extract/metadata_model.json`, with only the fields whose
cross-validated accuracy beats the hand-set vote's; the others stay hand-set.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newscrawl.extract import parse_page
from newscrawl.extract.learned import HAND_SET, MODEL_PATH
from newscrawl.extract.opinion import page_opinion
from newscrawl.extract.reconcile import (
    choose_published,
    choose_title,
    date_features,
    site_names,
    title_features,
)
from newscrawl.extract.signals import collect_signals

FIELDS = ("title", "date")


@dataclass
class Choice:
    """One page's candidates for one field: features, which are right, the hand-set pick."""

    page: str
    domain: str
    group: str  # the manifest's source_repo: which benchmark the page and its gold come from
    features: list[dict[str, float]]
    right: list[bool]
    hand_right: bool


def norm_title(value: str | None) -> str:
    """The scorer's title comparison form: NFKC, case-folded, whitespace collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", value or "")).strip().casefold()


def collect(pages: list[dict], bodies: list[bytes]) -> dict[str, list[Choice]]:
    """Per field, the labelled candidates of every page whose gold has that field."""
    out: dict[str, list[Choice]] = {f: [] for f in FIELDS}
    for page, body in zip(pages, bodies, strict=True):
        if not page.get("title") and not page.get("date"):
            continue
        tree = parse_page(body)
        if tree is None:
            continue
        signals = collect_signals(tree, page["url"])
        names = site_names(signals, [])
        # the title and date do not depend on trafilatura's byline search: the extractor
        # runs it only where it could change the authors
        opinion = page_opinion(tree, page["url"])
        if gold := page.get("title"):
            cands = title_features(signals, None, names, opinion.title)
            hand = choose_title(signals, None, names, opinion.title, HAND_SET).value
            out["title"].append(Choice(
                page["id"], page["domain"], page.get("source_repo", ""), [f for _, _, f in cands],
                [norm_title(v) == norm_title(gold) for _, v, _ in cands],
                norm_title(str(hand or "")) == norm_title(gold)))
        if gold := page.get("date"):
            days = date_features(signals, None, opinion.date)
            hand_day = choose_published(signals, None, opinion.date, HAND_SET).local_date
            out["date"].append(Choice(
                page["id"], page["domain"], page.get("source_repo", ""), [f for _, f in days],
                [d == gold[:10] for d, _ in days], hand_day == gold[:10]))
    return out


def make_folds(domains: list[str], k: int) -> dict[str, int]:
    """Domain -> fold, k folds of about equal page counts; deterministic (domains in the
    order of their hash, each to the fold with fewest pages so far)."""
    counts: dict[str, int] = {}
    for domain in domains:
        counts[domain] = counts.get(domain, 0) + 1
    order = sorted(counts, key=lambda d: hashlib.sha1(d.encode()).hexdigest())
    sizes, fold_of = [0] * k, {}
    for domain in order:
        fold = min(range(k), key=lambda i: (sizes[i], i))
        fold_of[domain] = fold
        sizes[fold] += counts[domain]
    return fold_of


def fit(choices: list[Choice], l2: float, steps: int = 1500) -> dict[str, float]:
    """Conditional-logit weights: maximise the log-probability of the right candidates
    among each page's candidates, minus l2/2 * |w|^2. Pages with no right candidate, or
    only one candidate, carry no information about the ranking and are left out."""
    usable = [c for c in choices if any(c.right) and not all(c.right) and len(c.right) > 1]
    names = sorted({n for c in usable for f in c.features for n in f})
    if not usable or not names:
        return {}
    index = {n: i for i, n in enumerate(names)}
    mats, masks = [], []
    for c in usable:
        x = np.zeros((len(c.features), len(names)))
        for row, feats in enumerate(c.features):
            for name, value in feats.items():
                x[row, index[name]] = value
        mats.append(x)
        masks.append(np.array(c.right, dtype=bool))
    w = np.zeros(len(names))
    lr = 0.5
    for _ in range(steps):
        grad = l2 * w
        for x, right in zip(mats, masks, strict=True):
            s = x @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            q = np.where(right, p, 0.0)
            q /= q.sum()
            grad += x.T @ (p - q) / len(mats)
        w -= lr * grad
    return {n: round(float(v), 4) for n, v in zip(names, w, strict=True) if abs(v) > 1e-4}


def pick(weights: dict[str, float], features: list[dict[str, float]]) -> int:
    """Index of the best-scoring candidate; ties to the earlier one (as at run time)."""
    scores = [sum(weights.get(n, 0.0) * v for n, v in f.items()) for f in features]
    return max(range(len(scores)), key=lambda i: (scores[i], -i))


def cross_validate(choices: list[Choice], fold_of: dict[str, int], k: int, l2: float,
                   ) -> tuple[float, float, list[tuple[float, float, int]]]:
    """(learned accuracy, hand-set accuracy, per fold (learned, hand, n)) on held-out sites."""
    per_fold = []
    right_learned = right_hand = 0
    for fold in range(k):
        train = [c for c in choices if fold_of[c.domain] != fold]
        test = [c for c in choices if fold_of[c.domain] == fold]
        weights = fit(train, l2)
        learned = sum(bool(c.features) and c.right[pick(weights, c.features)] for c in test)
        hand = sum(c.hand_right for c in test)
        right_learned += learned
        right_hand += hand
        per_fold.append((learned / max(len(test), 1), hand / max(len(test), 1), len(test)))
    n = max(len(choices), 1)
    return right_learned / n, right_hand / n, per_fold


def leave_group_out(choices: list[Choice], l2: float) -> list[tuple[str, float, float, int]]:
    """Per source group: (group, learned accuracy, hand-set accuracy, n) with the weights
    fitted on the other groups only. Harder than the site folds: each benchmark's gold has
    its own conventions (og:title or the <h1>, the local or the UTC day), so this is the
    figure for a site whose pages look like none the weights were fitted on."""
    out = []
    for group in sorted({c.group for c in choices}):
        weights = fit([c for c in choices if c.group != group], l2)
        test = [c for c in choices if c.group == group]
        learned = sum(bool(c.features) and c.right[pick(weights, c.features)] for c in test)
        out.append((group, learned / len(test), sum(c.hand_right for c in test) / len(test),
                    len(test)))
    return out


def load(corpus: Path) -> tuple[list[dict], list[bytes]]:
    lines = (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    pages = [json.loads(line) for line in lines if line.strip()]
    bodies = [gzip.decompress((corpus / p["html"]).read_bytes()) for p in pages]
    return pages, bodies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--l2", type=float, default=0.05)
    parser.add_argument("--write", action="store_true",
                        help=f"fit on all pages and write {MODEL_PATH.name}")
    args = parser.parse_args()
    pages, bodies = load(args.corpus)
    fold_of = make_folds([p["domain"] for p in pages], args.folds)
    choices = collect(pages, bodies)
    shipped: dict[str, dict] = {}
    print(f"grouped {args.folds}-fold by domain, l2={args.l2}")
    for name in FIELDS:
        learned, hand, per_fold = cross_validate(choices[name], fold_of, args.folds, args.l2)
        oracle = sum(any(c.right) for c in choices[name]) / max(len(choices[name]), 1)
        folds = ", ".join(f"{a:.3f}/{b:.3f} (n={n})" for a, b, n in per_fold)
        print(f"{name}: cross-validated learned {learned:.3f} vs hand-set {hand:.3f} "
              f"(n={len(choices[name])}; a right candidate exists on {oracle:.3f}); "
              f"per fold learned/hand: {folds}")
        groups = "; ".join(f"{g} {a:.3f}/{b:.3f} (n={n})"
                           for g, a, b, n in leave_group_out(choices[name], args.l2))
        print(f"  {name}, fitted without the page's source group, learned/hand: {groups}")
        if learned > hand:
            shipped[name] = {"weights": fit(choices[name], args.l2),
                             "cv_accuracy": round(learned, 4),
                             "hand_set_accuracy": round(hand, 4),
                             "pages": len(choices[name])}
    if args.write:
        MODEL_PATH.write_text(json.dumps({
            "about": "Fitted by bench/fit_metadata.py on the eval corpus's dev split; a field "
                     "is here only if its grouped-by-domain cross-validated accuracy beat the "
                     "hand-set vote's.",
            "folds": args.folds, "l2": args.l2, "fields": shipped}, indent=1) + "\n",
            encoding="utf-8")
        print(f"wrote {MODEL_PATH} with fields: {', '.join(shipped) or 'none'}")


if __name__ == "__main__":
    main()
