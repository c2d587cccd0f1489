"""JobScheduler: APScheduler 3 triggers, run only while holding the ``scheduler`` lease.

Each firing is executed through :meth:`JobScheduler.run_due`, which looks back ``grace``
from now and runs every fire time not yet done: the APScheduler trigger gives the exact
moment, the periodic tick and the election catch up what a dead leader missed. A run
claimed by another holder that never finished is re-run only by the current leader; its
send carries the same Feishu uuid, so the chat still sees one message.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta

import structlog
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs.clock import Clock, system_clock
from bot.jobs.job import JobRun, JobSource, ScheduledJob, run_id_for
from bot.jobs.schedules import fire_times
from bot.scheduler.lease import LeaderLease
from bot.scheduler.runs import MAX_ATTEMPTS, RunLedger, RunPhase, RunState, keep_for
from bot.state import Store

__all__ = ["JobScheduler"]

log = structlog.get_logger(__name__)
TICK_JOB = "__tick__"


class JobScheduler:
    def __init__(
        self,
        store: Store,
        jobs: JobSource,
        *,
        timezone: str = "Asia/Shanghai",
        holder: str | None = None,
        lease_ttl: timedelta = timedelta(seconds=30),
        grace: timedelta = timedelta(minutes=30),
        tick_every: timedelta = timedelta(seconds=30),
        clock: Clock = system_clock,
    ) -> None:
        self.jobs = jobs
        self.timezone = timezone
        self.grace = grace
        self.tick_every = tick_every
        self.clock = clock
        self.ledger = RunLedger(store)
        self.lease = LeaderLease(
            store.leases, "scheduler", holder=holder, ttl=lease_ttl, on_elected=self._elected
        )
        self._known: dict[str, ScheduledJob] = {}
        self._running: dict[str, asyncio.Task[None]] = {}
        self._active: set[str] = set()
        self._aps: AsyncIOScheduler | None = None
        self._background: set[asyncio.Task[object]] = set()

    @property
    def is_leader(self) -> bool:
        return self.lease.is_leader

    @property
    def holder(self) -> str:
        return self.lease.holder

    async def start(self) -> None:
        self._aps = AsyncIOScheduler(
            timezone=self.timezone,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        self._aps.add_job(
            self.tick, IntervalTrigger(seconds=self.tick_every.total_seconds()), id=TICK_JOB
        )
        self._aps.start()
        self.lease.start()

    async def stop(self, *, release: bool = True, drain: float = 10.0) -> None:
        """Stop, letting running runs finish for up to ``drain`` seconds.

        ``release=False`` cancels running runs at once and keeps the lease until it
        expires: what a crash looks like to the other replicas.
        """
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None
        if release and self._running:
            await asyncio.wait(list(self._running.values()), timeout=drain)
        for task in [*self._running.values(), *self._background]:
            task.cancel()
        await asyncio.gather(*self._running.values(), *self._background, return_exceptions=True)
        await self.lease.stop(release=release)

    async def _elected(self) -> None:
        task: asyncio.Task[object] = asyncio.create_task(self.tick())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def tick(self) -> list[str]:
        """Refresh the jobs and run what is due; nothing unless this process leads."""
        if not self.is_leader:
            return []
        try:
            jobs = await self.jobs()
        except Exception:
            log.exception("job_source_failed")
            return []
        self._sync(jobs)
        return await self.run_due(jobs)

    def _sync(self, jobs: Sequence[ScheduledJob]) -> None:
        wanted = {job.id: job for job in jobs}
        if self._aps is not None:
            for job_id in set(self._known) - set(wanted):
                self._aps.remove_job(job_id)
            for job_id, job in wanted.items():
                known = self._known.get(job_id)
                if known is None or str(known.trigger) != str(job.trigger):
                    self._aps.add_job(
                        self._fire, job.trigger, args=[job_id], id=job_id, replace_existing=True
                    )
        self._known = wanted

    async def _fire(self, job_id: str) -> None:
        job = self._known.get(job_id)
        if job is not None and self.is_leader:
            await self.run_due([job])

    async def run_due(self, jobs: Sequence[ScheduledJob]) -> list[str]:
        """Run every fire time of ``jobs`` within ``grace`` of now that is not done yet;
        returns the run ids this call executed."""
        now = self.clock()
        ran: list[str] = []
        for job in jobs:
            for fire in fire_times(job.trigger, now - (job.grace or self.grace), now):
                run = JobRun(job.id, fire, run_id_for(job.id, fire))
                if await self._execute(job, run):
                    ran.append(run.run_id)
        return ran

    async def _should_run(self, run_id: str) -> RunState | None:
        """The state to run with, or None when the run is done or owned elsewhere."""
        state = await self.ledger.get(run_id)
        if state is None:
            if await self.ledger.claim(run_id):
                return RunState(RunPhase.RUNNING, self.holder, 1)
            # Claimed by a holder that died before recording its state.
            return RunState(RunPhase.RUNNING, self.holder, 2) if self.is_leader else None
        if state.state is RunPhase.DONE or state.attempts >= MAX_ATTEMPTS:
            return None
        elsewhere = state.holder != self.holder
        orphaned = state.state is RunPhase.RUNNING and elsewhere and self.is_leader
        if orphaned or state.state is RunPhase.FAILED:
            return RunState(RunPhase.RUNNING, self.holder, state.attempts + 1)
        return None

    async def _execute(self, job: ScheduledJob, run: JobRun) -> bool:
        if run.run_id in self._active:
            return False
        self._active.add(run.run_id)
        try:
            return await self._execute_once(job, run)
        finally:
            self._active.discard(run.run_id)

    async def _execute_once(self, job: ScheduledJob, run: JobRun) -> bool:
        state = await self._should_run(run.run_id)
        if state is None:
            return False
        keep = keep_for(job.grace or self.grace)
        await self.ledger.put(run.run_id, state, keep=keep)
        task = asyncio.create_task(job.run(run), name=f"job:{run.run_id}")
        self._running[run.run_id] = task
        try:
            await task
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("job_failed", run_id=run.run_id, attempt=state.attempts)
            failed = RunState(RunPhase.FAILED, self.holder, state.attempts)
            await self.ledger.put(run.run_id, failed, keep=keep)
            return True
        finally:
            self._running.pop(run.run_id, None)
        done = RunState(RunPhase.DONE, self.holder, state.attempts)
        await self.ledger.put(run.run_id, done, keep=keep)
        log.info("job_done", run_id=run.run_id)
        return True
