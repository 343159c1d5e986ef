"""Keeps secret links out of the access log.

A family's registration link, a private calendar feed, a password reset or an invitation carries its
secret in the path; uvicorn's access log writes every path, so a log reader (or a log shipped to
another service) would hold keys to families' personal data. This filter masks the secret part of
those paths before the line is written; the route stays readable for whoever diagnoses.
"""

from __future__ import annotations

import logging
import re

SECRET_PATHS = re.compile(
    r"(/inscription/|/agendas/|/pro/mot-de-passe-oublie/|/pro/invitation/)[^/?#\s.]+"
)
MASK = r"\1…"


def mask_secrets(path: str) -> str:
    return SECRET_PATHS.sub(MASK, path)


class SecretPathFilter(logging.Filter):
    """Rewrites the request line of uvicorn's access records: (client, method, path, version,
    status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], mask_secrets(args[2]), *args[3:])
        return True


def hide_secrets_from_access_log() -> None:
    """Install the filter once on uvicorn's access logger (each worker process calls this)."""
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(existing, SecretPathFilter) for existing in logger.filters):
        logger.addFilter(SecretPathFilter())
