"""Two mechanisms the derived indexes share: files written per store generation, whole or not at all, and
a rebuild in a background thread while searches go on with what is there.

The article store is the source of truth; the vector file and the keyword folder are derived from it and
named by the store generation they reflect (`vectors-12.faiss`, `keywords-12/`), so a reader never sees a
half-written one and a restart knows whether a file is current.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def publish(final: Path, write: Callable[[Path], None], older: str) -> None:
    """Write `final` (a file or a folder) through `write(temp path)`, fsynced and renamed over, then remove
    the other generations beside it (those matching the glob `older`). On an error the temp copy is gone
    and the previous generations stay (a folder of this same generation, stale, may be gone already); the
    caller says what that means for it."""
    tmp = final.with_name(final.name + ".tmp")
    _remove(tmp)
    try:
        write(tmp)
        if tmp.is_file():
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        if final.is_dir():  # a folder goes only over an empty one: a damaged copy of this generation goes
            _remove(final)  # first (a reader meanwhile rebuilds its own), or it would be rebuilt at every start
        os.replace(tmp, final)
        fsync_dir(final.parent)
    except BaseException:
        _remove(tmp)
        raise
    for old in final.parent.glob(older):
        if old != final:
            _remove(old)


class BackgroundRebuild:
    """At most one rebuild at a time in a daemon thread; `start` while one runs does nothing (the running
    one is caught up by its own swap), `wait` is for tests and shutdown."""

    def __init__(self, name: str, rebuild: Callable[[], None]):
        self.name, self._rebuild = name, rebuild
        self._thread: threading.Thread | None = None
        self._guard = threading.Lock()

    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> bool:
        with self._guard:
            if self.running():
                return False
            self._thread = threading.Thread(target=self._rebuild, name=self.name, daemon=True)
            self._thread.start()
            return True

    def wait(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
