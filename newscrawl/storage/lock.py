"""One writer per dataset directory.

An exclusive `flock` on `_state/writer.lock`: the kernel drops it when the holding process
dies, however it dies, so a killed crawl never blocks the next one.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import ClassVar


class DatasetLockedError(RuntimeError):
    """Another live process is writing to the same dataset directory."""


class WriterLock:
    """The dataset's writer lock; with `worker`, that worker's own lock (distributed mode,
    where workers share the directory but never a part file)."""

    def __init__(self, root: Path, worker: str | None = None) -> None:
        name = f"writer-{worker}.lock" if worker else "writer.lock"
        self.path = Path(root) / "_state" / name
        self._fd: int | None = None

    # Locks this process holds, by path: the CLI takes the lock before starting the crawl
    # (so two crawls started at once cannot both pass a check), and the crawl's own
    # acquire() then finds it held here instead of locking itself out.
    _held: ClassVar[dict[str, int]] = {}

    def acquire(self) -> None:
        key = str(self.path.resolve())
        if key in WriterLock._held:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise DatasetLockedError(
                f"{self.path.parent.parent} is being written by another newscrawl process "
                f"(pid {holder}); wait for it to finish or use another --out") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        WriterLock._held[key] = fd

    def release(self) -> None:
        if self._fd is not None:
            WriterLock._held.pop(str(self.path.resolve()), None)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
