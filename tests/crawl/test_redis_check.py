"""Distributed commands against a Redis that is down, silent, locked or misspelled: one line
naming Redis and the URL, exit 2, and no crawl started (crawl/distributed.py check_redis)."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from newscrawl.crawl.distributed import check_redis, shown_url
from tests.redis_server import free_port, redis_server


def newscrawl_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "newscrawl.cli", *args], capture_output=True,
                          text=True, timeout=120)


def one_line(proc: subprocess.CompletedProcess[str]) -> str:
    """The single stderr line a user sees; fails on a traceback or any other output."""
    assert "Traceback" not in proc.stderr, proc.stderr
    [line] = proc.stderr.strip().splitlines()
    return line


@pytest.fixture
def dead_url() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"


@pytest.fixture
def silent_url() -> Iterator[str]:
    """A port that accepts connections (the kernel's backlog) but never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(4)
        yield f"redis://127.0.0.1:{sock.getsockname()[1]}/0"


def test_crawl_against_a_dead_redis_says_so_and_starts_nothing(dead_url: str,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "news"
    proc = newscrawl_cli("crawl", "--redis", dead_url, "--out", str(out))
    assert proc.returncode == 2
    assert one_line(proc) == f"newscrawl: cannot reach Redis at {dead_url}: Connection refused"
    assert proc.stdout == ""
    assert not out.exists()  # the crawl never started: no lock, no part, no report


def test_seed_against_a_dead_redis_says_so(dead_url: str, tmp_path: Path) -> None:
    proc = newscrawl_cli("seed", "--redis", dead_url, "--out", str(tmp_path / "news"))
    assert proc.returncode == 2
    assert one_line(proc) == f"newscrawl: cannot reach Redis at {dead_url}: Connection refused"
    assert proc.stdout == ""


@pytest.mark.parametrize(("url", "problem"), [
    ("notaurl", "not a Redis URL: 'notaurl' (expected redis://"),
    ("redis://127.0.0.1:99999/0", "Redis URL 'redis://127.0.0.1:99999/0' has a bad port"),
    ("redis://127.0.0.1:63x9/0", "Redis URL 'redis://127.0.0.1:63x9/0' has a bad port"),
    ("redis://127.0.0.1:6379/news", "Redis URL 'redis://127.0.0.1:6379/news' has a bad "
                                    "database 'news'"),
    ("redis://", "Redis URL 'redis://' names no host"),
])
@pytest.mark.parametrize("command", ["crawl", "seed"])
def test_a_malformed_redis_url_is_one_line(command: str, url: str, problem: str,
                                           tmp_path: Path) -> None:
    out = tmp_path / "news"
    proc = newscrawl_cli(command, "--redis", url, "--out", str(out))
    assert proc.returncode == 2
    assert one_line(proc).startswith(f"newscrawl: {problem}")
    assert not out.exists()


def test_a_redis_that_never_answers_is_named_within_the_timeout(silent_url: str) -> None:
    assert check_redis(silent_url, timeout=0.5) == (
        f"Redis at {silent_url} did not answer within 0.5 s")


def test_the_password_is_not_printed(tmp_path: Path) -> None:
    port = free_port()
    proc = newscrawl_cli("seed", "--redis", f"redis://:hunter2@127.0.0.1:{port}/0",
                         "--out", str(tmp_path / "news"))
    assert proc.returncode == 2
    assert one_line(proc) == (f"newscrawl: cannot reach Redis at redis://:***@127.0.0.1:{port}"
                              "/0: Connection refused")
    assert shown_url("redis://user:pw@h:1/0") == "redis://user:***@h:1/0"
    assert shown_url("redis://h:1/0") == "redis://h:1/0"


@pytest.mark.redis
def test_a_live_redis_passes_and_a_locked_one_is_named(redis_url: str) -> None:
    assert check_redis(redis_url) is None
    with redis_server("--requirepass", "s3cret") as locked:
        problem = check_redis(locked)
        assert problem is not None and problem.startswith(f"Redis at {locked} refused us: ")
        assert check_redis(locked.replace("redis://", "redis://:s3cret@")) is None
        with_db = locked.replace("redis://", "redis://:s3cret@").removesuffix("/0") + "/99"
        assert check_redis(with_db) == (f"Redis at {shown_url(with_db)} answered with an "
                                        "error: DB index is out of range")


@pytest.mark.redis
def test_seed_on_a_live_redis_still_seeds(redis_url: str, tmp_path: Path) -> None:
    sites = tmp_path / "sites.toml"
    sites.write_text('[[site]]\nkey = "ok"\nname = "OK"\nhome = "http://127.0.0.2/"\n')
    proc = newscrawl_cli("seed", "--sites", str(sites), "--redis", redis_url,
                         "--out", str(tmp_path / "news"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("seeded 1 site(s)")
