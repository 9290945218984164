"""A finished crawl's exit code, from its final stats (used by the report and the CLI).

    0  finished (or stopped at --max-articles)
  130  stopped by SIGINT (Ctrl-C), 143 by SIGTERM: what was extracted is committed
    1  the crawl failed
    3  the dataset could not be opened or written
    4  a site that usually yields articles yielded none (see the ALERT lines)
    5  no site could be crawled: every one was unreachable
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_UNWRITABLE = 3
EXIT_SILENT_SITE = 4
EXIT_UNREACHABLE = 5

CLEAN_FINISHES = frozenset({"finished", "closespider_itemcount", "shutdown"})
# The finish reason services.py gives when the dataset cannot be opened or written.
REASON_UNWRITABLE = "dataset_unwritable"


def exit_code(stats: Mapping[str, Any]) -> int:
    reason = stats.get("finish_reason", "")
    if reason == REASON_UNWRITABLE or stats.get("newscrawl_unwritable"):
        return EXIT_UNWRITABLE
    if signum := stats.get("newscrawl_signal"):
        return 128 + int(signum)  # stopped by SIGINT (130) or SIGTERM (143)
    if stats.get("newscrawl_alerts"):
        return EXIT_SILENT_SITE
    if stats.get("newscrawl_all_unreachable"):
        return EXIT_UNREACHABLE
    if reason in CLEAN_FINISHES:
        return EXIT_OK
    return EXIT_FAILED


def exit_message(stats: Mapping[str, Any]) -> str | None:
    """The one line a user sees on stderr for a non-zero exit, or None."""
    code = exit_code(stats)
    if code == EXIT_UNWRITABLE:
        where = stats.get("newscrawl_unwritable") or "the dataset"
        return f"cannot write {where}; nothing was lost that the next run will not fetch again"
    if code == EXIT_UNREACHABLE:
        return ("no site could be reached; nothing was fetched (see the warnings above); "
                "the next run tries again")
    if code == EXIT_SILENT_SITE:
        return (f"{stats['newscrawl_alerts']} site(s) yielded no articles although they "
                "usually do; see ALERT lines and the run report")
    if code > 128:
        return ("stopped by a signal; what was extracted is committed, the rest is fetched "
                "by the next run")
    if code == EXIT_FAILED:
        reason = stats.get("finish_reason") or "an error"
        return f"crawl ended with {reason}; see the log above"
    return None
