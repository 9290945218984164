#!/usr/bin/env bash
# The scheduled job: one crawl of every site in the sites file into one dataset.
# Used by deploy/crontab and deploy/newscrawl.service. Configure with environment variables:
#   NEWSCRAWL_HOME   project checkout with its .venv   (default: this script's parent dir)
#   NEWSCRAWL_OUT    dataset directory                  (default: $NEWSCRAWL_HOME/datasets/news)
#   NEWSCRAWL_SITES  sites file                         (default: the built-in one)
#   NEWSCRAWL_LOG    append the crawl's output to this file, and print nothing unless the run
#                    fails: then its exit code, what it means and the run's last lines go to
#                    stderr, which cron mails (MAILTO). Unset: the output goes to stdout and
#                    stderr as it comes (systemd's journal).
# Extra arguments go to `newscrawl crawl` (site keys, --since, -s NAME=VALUE).
# Exit codes are the crawl's: 0 ok; 2 bad arguments, sites file or Redis; 3 another crawl still
# holds the dataset (this run did nothing); 4 a site that usually yields articles yielded none
# (see ALERT lines and _runs/*.json); 1 the crawl failed; 143/130 stopped by SIGTERM/SIGINT
# after committing what it had. Without a terminal, output is plain log lines.
set -euo pipefail
home="${NEWSCRAWL_HOME:-$(cd "$(dirname "$0")/.." && pwd)}"
out="${NEWSCRAWL_OUT:-$home/datasets/news}"
args=(crawl --out "$out")
if [[ -n "${NEWSCRAWL_SITES:-}" ]]; then args+=(--sites "$NEWSCRAWL_SITES"); fi
newscrawl="$home/.venv/bin/newscrawl"
log="${NEWSCRAWL_LOG:-}"
if [[ -z "$log" ]]; then
    exec "$newscrawl" "${args[@]}" "$@"
fi

meaning() {
    case "$1" in
        1) echo "the crawl failed" ;;
        2) echo "bad arguments, sites file or Redis: fix the configuration" ;;
        3) echo "another crawl still holds the dataset; this run did nothing" ;;
        4) echo "a site that usually yields articles yielded none (ALERT lines below)" ;;
        130) echo "stopped by SIGINT after committing what it had" ;;
        143) echo "stopped by SIGTERM after committing what it had" ;;
        *) echo "unexpected exit code" ;;
    esac
}

# A stop signal sent to the process group (systemd, kill -- -PGID, Ctrl-C) reaches the crawl
# too: it commits and exits 130/143 by itself. This shell waits for that instead of dying
# first, so the failure is still reported (bash runs a trap only after the command ends).
trap ':' TERM INT HUP
if ! { : >>"$log"; } 2>/dev/null; then
    echo "newscrawl-scheduled: cannot append to the log $log; set NEWSCRAWL_LOG to a file" \
         "this user can write" >&2
    exit 2
fi
started="$(date '+%Y-%m-%d %H:%M:%S %z')"
offset="$(stat -c %s "$log")"
code=0
{
    echo "=== newscrawl-scheduled: run started $started: newscrawl ${args[*]}${*:+ $*}"
    "$newscrawl" "${args[@]}" "$@" 2>&1 || code=$?
    echo "=== newscrawl-scheduled: exit $code at $(date '+%Y-%m-%d %H:%M:%S %z')"
} >>"$log"
if [[ "$code" != 0 ]]; then
    {
        echo "newscrawl-scheduled: the crawl started $started exited $code: $(meaning "$code")."
        echo "Last lines of this run in $log:"
        tail -c +"$((offset + 1))" "$log" 2>/dev/null | tail -n "${NEWSCRAWL_LOG_TAIL:-40}"
    } >&2
fi
exit "$code"
