"""Fixtures for the incremental and crash tests: one news network for the whole session and
one complete crawl of it, so each test pays only for the crawls it is about."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.crawling import crawl
from tests.network import NewsNetwork, start_network


@pytest.fixture(scope="session")
def _session_network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NewsNetwork]:
    network = start_network(tmp_path_factory.mktemp("network"))
    try:
        yield network
    finally:
        network.stop()


@pytest.fixture
def shared_network(_session_network: NewsNetwork) -> Iterator[NewsNetwork]:
    """The session's news network, reset before and after the test: original stories, empty
    request logs, fail-once pages failing once again."""
    _session_network.reset()
    yield _session_network
    _session_network.reset()


@pytest.fixture(scope="session")
def first_crawl(_session_network: NewsNetwork, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete crawl of the unchanged network with default settings. Read only: tests that
    crawl again take a copy (`crawled`)."""
    _session_network.reset()
    out = tmp_path_factory.mktemp("first-crawl") / "data"
    crawl(_session_network, out)
    return out


@pytest.fixture
def crawled(first_crawl: Path, shared_network: NewsNetwork, tmp_path: Path) -> Path:
    """A private copy of `first_crawl`'s dataset (data, state, reports) to crawl again."""
    out = tmp_path / "data"
    shutil.copytree(first_crawl, out)
    return out
