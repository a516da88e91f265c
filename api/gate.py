"""Admission for generations: the CPU runs a few at once, a bounded queue waits, the rest get 503.

A slot belongs to the worker thread that generates, not to the HTTP request: a client that hangs up stops
its generation at the next token, but its slot stays taken until that worker has really returned (it may
still be waiting for the model or evaluating the prompt). Otherwise hanging up and asking again would
admit more generations than the model can run, and they would pile up behind its lock. Workers run on
their own executor, sized to the slots, so searches and article reads in the default pool never wait
behind a generation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor


class Busy(Exception):
    """The queue is full; the client should retry later."""


class GenerationGate:
    def __init__(self, concurrency: int, queue: int):
        self._slots = asyncio.Semaphore(concurrency)
        self._max_waiting = queue
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="generate")
        self.waiting = 0
        self.running = 0

    def full(self) -> bool:
        return self._slots.locked() and self.waiting >= self._max_waiting

    async def run(self, work: Callable[[], None]) -> None:
        """Wait for a slot (Busy when the queue is full), then start `work` on the generation pool; the
        slot is given back when `work` returns, whatever happened to the request meanwhile."""
        if self.full():
            raise Busy
        self.waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self.waiting -= 1
        self.running += 1
        loop = asyncio.get_running_loop()

        def release() -> None:
            self.running -= 1
            self._slots.release()

        def guarded() -> None:
            try:
                work()
            finally:
                try:
                    loop.call_soon_threadsafe(release)
                except RuntimeError:  # the event loop is closed: the server is stopping
                    pass

        try:
            self._pool.submit(guarded)
        except RuntimeError:  # pool shut down
            release()
            raise

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
