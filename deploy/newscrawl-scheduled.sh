#!/usr/bin/env bash
# The scheduled job: one crawl of every site in the sites file into one dataset.
# Used by deploy/crontab and deploy/newscrawl.service. Configure with environment variables:
#   NEWSCRAWL_HOME   project checkout with its .venv   (default: this script's parent dir)
#   NEWSCRAWL_OUT    dataset directory                  (default: $NEWSCRAWL_HOME/datasets/news)
#   NEWSCRAWL_SITES  sites file                         (default: the built-in one)
# Extra arguments go to `newscrawl crawl` (site keys, --since, -s NAME=VALUE).
# Exit codes: 0 ok; 3 another crawl still holds the dataset (this run did nothing);
# 4 a site that usually yields articles yielded none (see ALERT lines and _runs/*.json);
# 1 the crawl failed. Without a terminal, output is plain log lines.
set -euo pipefail
home="${NEWSCRAWL_HOME:-$(cd "$(dirname "$0")/.." && pwd)}"
out="${NEWSCRAWL_OUT:-$home/datasets/news}"
args=(crawl --out "$out")
if [[ -n "${NEWSCRAWL_SITES:-}" ]]; then args+=(--sites "$NEWSCRAWL_SITES"); fi
exec "$home/.venv/bin/newscrawl" "${args[@]}" "$@"
