"""The background worker: periodic jobs that no web request should wait for.

It runs as its own process (`workshops worker`, several may run) or, in the embedded mode, as a
task inside the web process. Jobs keep their state in the database, never in memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from workshops import evaluation, signup
from workshops.accounts import (
    Invitation,
    LoginFailure,
    forget_ended_sessions,
    forget_old_reset_requests,
)
from workshops.kernel.clock import utc_now
from workshops.kernel.db import database_unreachable
from workshops.kernel.settings import Settings
from workshops.mail import send_due_mail
from workshops.partners import send_convention_reminders
from workshops.planning import close_finished_workshops
from workshops.privacy import apply_retention_daily
from workshops.signup import send_due_reminders

logger = logging.getLogger("workshops.worker")
Job = Callable[[Settings], Awaitable[None]]


async def forget_old_login_failures(settings: Settings) -> None:
    """Failed logins only matter for the lock window; older ones are deleted."""
    horizon = utc_now() - timedelta(minutes=settings.login_lock_minutes, days=1)
    await LoginFailure.filter(created_at__lt=horizon).delete()
    await Invitation.filter(accepted_at=None, expires_at__lt=horizon - timedelta(days=30)).delete()


async def forget_old_signup_attempts(settings: Settings) -> None:
    """The per-address sign-up limit looks at the last hour only."""
    await signup.forget_old_signup_attempts(utc_now())


async def refresh_kept_figures(settings: Settings) -> None:
    """Evaluations of finished years that a late change made stale are computed again here,
    so that their next reader does not wait for them."""
    await evaluation.refresh_kept_figures(utc_now())


async def warm_kept_figures(settings: Settings) -> None:
    """The finished years the evaluation pages open on are computed before anyone asks."""
    await evaluation.warm_kept_figures(zone=settings.zone, now=utc_now())


JOBS: list[Job] = [
    send_due_mail,
    forget_old_login_failures,
    forget_ended_sessions,
    forget_old_signup_attempts,
    forget_old_reset_requests,
    send_due_reminders,
    close_finished_workshops,
    send_convention_reminders,
    apply_retention_daily,
    refresh_kept_figures,
    warm_kept_figures,
]


async def run_once(settings: Settings) -> None:
    for job in JOBS:
        try:
            await job(settings)
        except Exception as error:
            if database_unreachable(error):  # expected while the database restarts: one line
                logger.warning("La tâche %s attend la base de données : %r", job.__name__, error)
            else:
                logger.exception("La tâche %s a échoué ; elle sera relancée.", job.__name__)


async def run_forever(settings: Settings, stop: asyncio.Event, *, interval: float = 5.0) -> None:
    while not stop.is_set():
        await run_once(settings)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)


async def run_until_stopped(settings: Settings, stop: asyncio.Event) -> None:
    """Run the jobs until `stop` is set, then let the job in progress finish within
    `SHUTDOWN_GRACE_SECONDS` and interrupt it after that: a process asked to stop (SIGTERM)
    stops before its supervisor kills it. An interrupted message is taken up again after its
    lease, like one whose worker died."""
    task = asyncio.create_task(run_forever(settings, stop), name="workshops-worker")
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait([task, stopping], return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    try:
        await asyncio.wait_for(task, timeout=settings.shutdown_grace_seconds)
    except TimeoutError:
        logger.warning("Le worker ne s'est pas arrêté à temps ; la tâche en cours est interrompue.")
