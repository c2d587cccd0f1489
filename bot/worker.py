"""A bounded pool of asyncio workers: the transports enqueue, workers run skills.

``submit`` is thread-safe (the long connection calls it from its own thread) and
refuses work when the queue is full, so the transport can answer "retry later".
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable

import structlog

__all__ = ["WorkerPool", "Job"]

Job = Callable[[], Awaitable[None]]
log = structlog.get_logger(__name__)


class WorkerPool:
    def __init__(self, workers: int, queue_size: int) -> None:
        self._workers = workers
        self._capacity = queue_size
        self._queue: asyncio.Queue[Job] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._pending = 0
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return bool(self._tasks) and not all(t.done() for t in self._tasks)

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._queue = asyncio.Queue()
        self._tasks = [self._loop.create_task(self._run()) for _ in range(self._workers)]

    async def stop(self, drain_seconds: float = 5.0) -> None:
        if self._queue is not None:
            try:
                await asyncio.wait_for(self._queue.join(), drain_seconds)
            except TimeoutError:
                log.warning("worker_pool_drain_timeout", pending=self._pending)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []

    def submit(self, job: Job) -> bool:
        """Queue ``job``; False when the pool is full or not running."""
        loop, queue = self._loop, self._queue
        if loop is None or queue is None or loop.is_closed():
            return False
        with self._lock:
            if self._pending >= self._capacity:
                return False
            self._pending += 1
        loop.call_soon_threadsafe(queue.put_nowait, job)
        return True

    async def join(self) -> None:
        """Wait until every queued job has finished (tests, shutdown)."""
        if self._queue is not None:
            await self._queue.join()

    async def _run(self) -> None:
        assert self._queue is not None
        while True:
            job = await self._queue.get()
            try:
                await job()
            except Exception:  # a job's failure must never kill a worker
                log.exception("job_failed")
            finally:
                with self._lock:
                    self._pending -= 1
                self._queue.task_done()
