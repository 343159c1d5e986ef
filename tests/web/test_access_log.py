"""The access log names the route of a secret link, never its secret."""

from __future__ import annotations

import logging

from workshops.web.access_log import SecretPathFilter, mask_secrets

TOKEN = "53yzIPnagZdz3SoH8TSTElYH7U1mJY9fMMmwB57VxDs"


def test_the_secret_of_a_family_link_or_a_feed_is_masked_and_the_route_stays_readable() -> None:
    assert mask_secrets(f"/inscription/{TOKEN}/annulation") == "/inscription/…/annulation"
    assert mask_secrets(f"/agendas/{TOKEN}.ics") == "/agendas/….ics"
    assert mask_secrets(f"/pro/invitation/{TOKEN}") == "/pro/invitation/…"
    assert mask_secrets("/ateliers/3?commune=Haguenau") == "/ateliers/3?commune=Haguenau"


def test_an_access_record_written_by_uvicorn_loses_the_secret() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/inscription/{TOKEN}", "1.1", 200),
        None,
    )
    assert SecretPathFilter().filter(record)
    assert TOKEN not in record.getMessage()
    assert "/inscription/…" in record.getMessage()
