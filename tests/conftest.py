"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.network import NewsNetwork


@pytest.fixture
def news_network(tmp_path: Path) -> Iterator[NewsNetwork]:
    """The local news network (tests/network), freshly started for one test: three sites on
    127.0.0.2-4, a sites file in tmp_path, the expected records, and `update_article`/`reset`."""
    # Imported here so that test modules which never start the network do not load it.
    from tests.network import start_network

    network = start_network(tmp_path)
    try:
        yield network
    finally:
        network.stop()


@pytest.fixture
def redis_url() -> Iterator[str]:
    """URL of a real Redis server started for this test (see tests/redis_server.py)."""
    from tests.redis_server import redis_server

    with redis_server() as url:
        yield url
