"""`newscrawl demo`: serve the bundled fictional outlet on 127.0.0.1 and crawl it.

A real crawl (robots, sitemaps, feeds, extraction, dedup, Parquet) with no network and no
server beyond the one started here. Politeness delays are off because the host is ours.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newscrawl.demo.site import start_demo_site

DEMO_PORT = 8619
DEMO_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
}


def demo_sites_toml(base_url: str) -> str:
    return (
        "# The bundled demo outlet, served locally by `newscrawl demo`.\n"
        "[[site]]\n"
        'key = "marquee"\n'
        'name = "The Marquee Daily"\n'
        f'home = "{base_url}/"\n'
        'language = "en"\n'
    )


def run_demo(out: Path, crawl: Callable[[dict[str, Any]], dict[str, Any]]) -> int:
    """Serve the demo site, crawl it into `out` with `crawl(settings)`."""
    try:
        # A fixed port keeps the demo's URLs (and so article ids) stable between runs, so a
        # second `newscrawl demo` shows the incremental behaviour: nothing refetched.
        server = start_demo_site(port=DEMO_PORT)
    except OSError:
        server = start_demo_site()
    try:
        with tempfile.TemporaryDirectory(prefix="newscrawl-demo-") as tmp:
            sites_file = Path(tmp) / "sites.toml"
            sites_file.write_text(demo_sites_toml(server.base_url), encoding="utf-8")
            settings = {
                **DEMO_SETTINGS,
                "NEWSCRAWL_OUT": str(out),
                "NEWSCRAWL_SITES_FILE": str(sites_file),
            }
            stats = crawl(settings)
    finally:
        server.stop()
    return 0 if stats.get("finish_reason") == "finished" else 1
