"""Admission for generations: the CPU runs a few at once, a bounded queue waits, the rest get 503."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager


class Busy(Exception):
    """The queue is full; the client should retry later."""


class GenerationGate:
    def __init__(self, concurrency: int, queue: int):
        self._slots = asyncio.Semaphore(concurrency)
        self._max_waiting = queue
        self.waiting = 0
        self.running = 0

    def full(self) -> bool:
        return self._slots.locked() and self.waiting >= self._max_waiting

    @asynccontextmanager
    async def slot(self):
        if self.full():
            raise Busy
        self.waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self.waiting -= 1
        self.running += 1
        try:
            yield
        finally:
            self.running -= 1
            self._slots.release()
