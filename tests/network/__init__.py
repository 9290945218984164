"""The local news network: three fictional outlets, each a `SiteServer` on its own loopback
address, for integration tests that run real crawls without touching the internet.

    network = start_network(tmp_path)      # or the `news_network` pytest fixture
    network.sites_file                     # sites TOML to crawl
    network.expected.articles              # what a correct crawl writes
    network.update_article("feedsite", slug, title="New title")   # change a page between crawls
    network.stop()

    expected_network().near_duplicate_pairs   # the truth alone, no servers (for unit tests)

See builder.py for what each site contains and expected.py for the shape of the truth.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from newscrawl.demo.content import split_paragraphs
from newscrawl.demo.model import Article
from newscrawl.demo.server import SiteServer

from .builder import BuiltSite, article_library, build_site, story_pairs
from .expected import ExpectedArticle, NetworkExpectation, NonArticle, SiteExpectation
from .plan import HOSTS

__all__ = [
    "ExpectedArticle",
    "NetworkExpectation",
    "NewsNetwork",
    "NonArticle",
    "SiteExpectation",
    "expected_network",
    "start_network",
]


@dataclass
class NewsNetwork:
    """Running servers for every site, the sites file that lists them, and the expected output.

    `update_article` changes one story in place (re-rendering its site, sitemaps and feeds) and
    updates `expected`; `reset` restores the original content and clears the request logs.
    """

    servers: dict[str, SiteServer]
    sites_file: Path
    expected: NetworkExpectation
    _library: dict[str, Article] = field(default_factory=article_library, repr=False)
    _overrides: dict[str, Article] = field(default_factory=dict, repr=False)

    @property
    def sites(self) -> dict[str, str]:
        """Site key -> base URL (`http://127.0.0.N:PORT`, no trailing slash)."""
        return {key: server.base_url for key, server in self.servers.items()}

    def url(self, site: str, path: str) -> str:
        return self.servers[site].url(path)

    def update_article(self, site: str, slug: str, **changes: Any) -> ExpectedArticle:
        """Replace fields of one story on `site` (e.g. title=, body=[...], modified=) while the
        servers run; returns its new expected record. Other routes keep their fail_first state."""
        self.expected.article(site, slug)  # KeyError if the story is not on that site
        current = self._overrides.get(slug) or self._library[slug]
        if "body" in changes:
            changes["body"] = split_paragraphs(changes["body"])
        self._overrides[slug] = dataclasses.replace(current, **changes)
        self._rebuild(site)
        return self.expected.article(site, slug)

    def reset(self) -> None:
        """Undo every update_article and forget all requests and fail_first counts."""
        self._overrides.clear()
        for site, server in self.servers.items():
            self._rebuild(site)
            server.clear_requests()

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()

    def __enter__(self) -> NewsNetwork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _rebuild(self, site: str) -> None:
        built = build_site(site, self.servers[site].base_url, self._library | self._overrides)
        self.servers[site].set_routes(built.routes)
        sites = {**self.expected.sites, site: built.expectation}
        self.expected = dataclasses.replace(self.expected, sites=sites)


def start_network(directory: Path, hosts: Mapping[str, str] = HOSTS) -> NewsNetwork:
    """Start every site on its loopback address (free port) and write `directory/sites.toml`."""
    library = article_library()
    servers: dict[str, SiteServer] = {}
    built: dict[str, BuiltSite] = {}
    try:
        for key, host in hosts.items():
            servers[key] = server = SiteServer(host=host).start()
            built[key] = build_site(key, server.base_url, library)
            server.set_routes(built[key].routes)
    except BaseException:
        for server in servers.values():
            server.stop()
        raise
    sites_file = Path(directory) / "sites.toml"
    sites_file.write_text(render_sites_toml([b.entry for b in built.values()]), encoding="utf-8")
    expected = NetworkExpectation(
        {key: b.expectation for key, b in built.items()}, pairs=story_pairs()
    )
    return NewsNetwork(servers=servers, sites_file=sites_file, expected=expected, _library=library)


def expected_network(hosts: Mapping[str, str] = HOSTS) -> NetworkExpectation:
    """What the network would serve, without starting it: every site is built at
    `http://<host>` (no port), so texts, titles and pairs are right and URLs are not."""
    library = article_library()
    sites = {
        key: build_site(key, f"http://{host}", library).expectation for key, host in hosts.items()
    }
    return NetworkExpectation(sites, pairs=story_pairs())


def render_sites_toml(entries: list[dict[str, Any]]) -> str:
    """`[[site]]` tables in the project's sites-file format (strings and lists of strings)."""
    blocks = []
    for entry in entries:
        # JSON string escapes are a subset of TOML basic-string escapes.
        lines = ["[[site]]"] + [f"{name} = {json.dumps(value)}" for name, value in entry.items()]
        blocks.append("\n".join(lines))
    return "# Written by tests/network for one test run.\n\n" + "\n\n".join(blocks) + "\n"
