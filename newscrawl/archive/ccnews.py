"""Common Crawl's CC-NEWS: the WARC files of one month, from its published path list.

Common Crawl publishes, per month, `crawl-data/CC-NEWS/YYYY/MM/warc.paths.gz`: a gzipped
text file with one WARC path per line, relative to its data host. The base URL is
configurable (a mirror, or a local server in the tests).
"""

from __future__ import annotations

import gzip
import re
import urllib.request
from urllib.error import URLError

DEFAULT_BASE = "https://data.commoncrawl.org/"
MONTH = re.compile(r"(\d{4})-(\d{2})")
TIMEOUT = 60.0


class CCNewsError(ValueError):
    """The month is malformed or its path list cannot be read; the message says which."""


def paths_url(month: str, base: str = DEFAULT_BASE) -> str:
    match = MONTH.fullmatch(month)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise CCNewsError(f"--cc-news {month!r}: give a month as YYYY-MM, e.g. 2024-03")
    year, mm = match.groups()
    return f"{base.rstrip('/')}/crawl-data/CC-NEWS/{year}/{mm}/warc.paths.gz"


def list_month(month: str, base: str = DEFAULT_BASE) -> list[str]:
    """The full URLs of the month's WARC files, in the list's order (oldest first)."""
    url = paths_url(month, base)
    request = urllib.request.Request(url, headers={"User-Agent": "newscrawl-import"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            data = response.read()
    except (URLError, OSError) as exc:
        raise CCNewsError(f"cannot read the CC-NEWS path list {url} ({exc})") from None
    try:
        text = gzip.decompress(data).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise CCNewsError(f"{url} is not a gzipped path list ({exc})") from None
    return [f"{base.rstrip('/')}/{line.strip().lstrip('/')}" for line in text.splitlines()
            if line.strip()]
