"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.network import NewsNetwork, start_network


@pytest.fixture
def news_network(tmp_path: Path) -> Iterator[NewsNetwork]:
    """The local news network, freshly started for one test (sites file in tmp_path)."""
    network = start_network(tmp_path)
    try:
        yield network
    finally:
        network.stop()
