"""The processes of the fault tests: a web server started as `make run` would, on the suite's
clock, and the wait for it to answer."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from pathlib import Path
from typing import BinaryIO

import httpx

from tests.clock import PROJECT_ROOT, workshops_command


def start_web(
    *,
    database_url: str,
    data_dir: Path,
    secret_key: str,
    port: int,
    log: BinaryIO,
    **settings: str,
) -> subprocess.Popen[bytes]:
    """`workshops serve` on `port`, without its embedded worker, sign-ups unlimited per address
    (every family of a fault test comes from 127.0.0.1); `settings` adds environment variables."""
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url,
        "SECRET_KEY": secret_key,
        "BASE_URL": f"http://127.0.0.1:{port}",
        "RUN_WORKER_IN_PROCESS": "0",
        "SIGNUP_MAX_PER_IP_PER_HOUR": "100000",
        **settings,
    }
    return subprocess.Popen(
        workshops_command("serve", "--port", str(port)),
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


async def until_healthy(base: str, seconds: float = 60) -> float:
    """Seconds until `/healthz` says 200."""
    started = time.monotonic()
    async with httpx.AsyncClient(timeout=2) as client:
        while time.monotonic() - started < seconds:
            try:
                if (await client.get(base + "/healthz")).status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"{base} did not answer within {seconds} s")
