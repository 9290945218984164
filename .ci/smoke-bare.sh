#!/usr/bin/env bash
# Smoke test of a bare install (issue 11): `pip install .` with no extras must give a working
# crawl, extract, compact and load(), and distributed commands must name the missing extra.
# The test suite runs with every extra installed, so it cannot see a missing one.
#
# Usage: .ci/smoke-bare.sh [VENV]     (default .venv-bare; run by `make smoke-bare`)
# Builds VENV afresh each time (pip's cache keeps it quick) and runs every step from a
# scratch directory, so nothing is imported from the checkout by accident.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${1:-$root/.venv-bare}"
[[ "$venv" = /* ]] || venv="$root/$venv"
python="${PYTHON:-python3}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
step=""

check() { step="$1"; echo "smoke-bare: [${SECONDS}s] $step"; }
fail() { echo "smoke-bare: FAILED: $step: $*" >&2; exit 1; }
trap '[[ $? == 0 ]] || echo "smoke-bare: FAILED at step: $step" >&2' ERR

# Run a command that must fail with `code` and print exactly one stderr line matching `pattern`.
expect_one_line() {
    local code="$1" pattern="$2"; shift 2
    local got=0
    "$@" >"$scratch/out" 2>"$scratch/err" || got=$?
    [[ "$got" == "$code" ]] || fail "exit $got, expected $code; stderr: $(cat "$scratch/err")"
    [[ "$(wc -l <"$scratch/err")" == 1 ]] || fail "expected one line on stderr, got: $(cat "$scratch/err")"
    grep -qF -- "$pattern" "$scratch/err" || fail "stderr lacks \"$pattern\": $(cat "$scratch/err")"
    [[ ! -s "$scratch/out" ]] || fail "unexpected output: $(cat "$scratch/out")"
}

check "fresh venv in $venv with pip install . (no extras)"
rm -rf "$venv"
"$python" -m venv "$venv"
# From a copy of what the package is built from: setuptools leaves build/lib beside the
# sources and would put a module deleted since the last build into the wheel.
mkdir "$scratch/src"
cp -r "$root/pyproject.toml" "$root/README.md" "$root/newscrawl" "$scratch/src/"
find "$scratch/src" -name __pycache__ -prune -exec rm -rf {} +
"$venv/bin/pip" install --quiet --disable-pip-version-check "$scratch/src" ||
    fail "pip install failed"
rm -rf "$scratch/src"
bin="$venv/bin"
cd "$scratch"

check "no extra came along (scrapy-redis and redis absent)"
if "$bin/python" -c "import scrapy_redis" 2>/dev/null || "$bin/python" -c "import redis" 2>/dev/null; then
    fail "scrapy_redis or redis is importable: this is not a bare install"
fi

check "newscrawl --version"
version="$("$bin/newscrawl" --version)" || fail "exit $?"
[[ "$version" == "newscrawl "* ]] || fail "printed: $version"

check "newscrawl demo (an offline crawl) writes rows"
"$bin/newscrawl" demo --out "$scratch/demo" >"$scratch/demo.log" 2>&1 ||
    fail "exit $?; $(tail -20 "$scratch/demo.log")"
rows="$("$bin/python" -c "import newscrawl, sys; print(newscrawl.load(sys.argv[1]).num_rows)" \
    "$scratch/demo")" || fail "load() after the demo failed"
[[ "$rows" -gt 0 ]] || fail "the demo wrote $rows rows"

check "newscrawl extract on a saved page"
url="$("$bin/python" - "$scratch/page.html" <<'PY'
import sys
from urllib.parse import urlsplit
from newscrawl.demo import build_demo_routes, demo_articles
from newscrawl.demo.site import marquee_outlet, newest_first

base = "http://marquee.example"
url = marquee_outlet(base).article_url(newest_first(demo_articles())[0])
with open(sys.argv[1], "wb") as page:
    page.write(build_demo_routes(base)[urlsplit(url).path].body)
print(url)
PY
)" || fail "could not write a page from the demo site"
"$bin/newscrawl" extract "$scratch/page.html" --url "$url" --output "$scratch/page.jsonl" ||
    fail "exit $?"
"$bin/python" - "$scratch/page.jsonl" "$url" <<'PY' || fail "the record is wrong"
import json, sys
record = json.load(open(sys.argv[1]))  # one page: one indented JSON object
assert record.get("url") == sys.argv[2], record
assert record.get("title") and len(record.get("text") or "") > 200, record
PY

check "newscrawl compact"
"$bin/newscrawl" compact "$scratch/demo" >"$scratch/compact.log" || fail "exit $?"
grep -q "^compacted " "$scratch/compact.log" || fail "printed: $(cat "$scratch/compact.log")"

check "newscrawl.load() after compact: the same rows"
after="$("$bin/python" -c "import newscrawl, sys; print(newscrawl.load(sys.argv[1]).num_rows)" \
    "$scratch/demo")" || fail "load() failed"
[[ "$after" == "$rows" ]] || fail "$rows rows before compact, $after after"

check "newscrawl info"
"$bin/newscrawl" info "$scratch/demo" >/dev/null || fail "exit $?"

hint="pip install 'newscrawl[distributed]'"
check "newscrawl crawl --redis: one line naming the extra, exit 2"
expect_one_line 2 "$hint" "$bin/newscrawl" crawl --redis redis://127.0.0.1:1/0 --out "$scratch/d"
[[ ! -e "$scratch/d" ]] || fail "the crawl started"

check "newscrawl seed: one line naming the extra, exit 2"
expect_one_line 2 "$hint" "$bin/newscrawl" seed --redis redis://127.0.0.1:1/0 --out "$scratch/d"

echo "smoke-bare: all steps passed ($rows rows) in ${SECONDS}s"
