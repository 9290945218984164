"""A real Redis server for the distributed-mode tests: started on a free 127.0.0.1 port with
persistence off, stopped after. `make test` / `.ci/run` provide redis-server when the machine
lacks one: unpacked from Debian's packages into .venv/redis/, run through .venv/bin/redis-server
(see the Makefile's redis-server target), so no system service is installed or started."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis


def free_port() -> int:
    """A 127.0.0.1 port nothing listens on (free when this returns)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_server_binary() -> str | None:
    """The redis-server beside the running Python (the one `make` unpacks into the venv)
    first, then the one on PATH."""
    beside = Path(sys.executable).parent / "redis-server"
    if beside.is_file():
        return str(beside)
    return shutil.which("redis-server")


@contextmanager
def redis_server(*options: str) -> Iterator[str]:
    """Yield the URL of a fresh Redis server started with extra command-line `options`
    (e.g. "--requirepass", "secret"); fails loudly when redis-server is missing."""
    binary = redis_server_binary()
    if binary is None:
        raise RuntimeError("redis-server not found beside Python or on PATH; `make test` "
                           "unpacks one into .venv/bin (make redis-server)")
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", *options],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.AuthenticationError:
                break  # up, and asking for the password it was started with
            except redis.ConnectionError:
                if proc.poll() is not None:
                    raise RuntimeError(
                        f"redis-server exited with {proc.returncode} at start") from None
                time.sleep(0.05)
        else:
            raise RuntimeError("redis-server did not start")
        yield url
    finally:
        client.close()
        proc.terminate()
        proc.wait(timeout=10)
