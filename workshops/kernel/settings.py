"""One `Settings` object, read once from the environment.

Every knob of the platform is an environment variable documented in the README. A missing or
malformed value raises `SettingsError` with one French sentence; the command line and the app
factory turn it into one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
SECRET_KEY_FILE = "secret_key"
SMTP_SECURITY_MODES = ("starttls", "tls", "none")
# The demo's values of the legal pages' settings, visibly to be replaced in production.
TO_CONFIGURE = "à configurer"
DEMO_PUBLISHER_NAME = f"Service de PMI du Département ({TO_CONFIGURE} : PUBLISHER_NAME)"
DEMO_PUBLISHER_ADDRESS = f"adresse {TO_CONFIGURE} (PUBLISHER_ADDRESS)"
DEMO_PUBLISHER_PHONE = f"numéro {TO_CONFIGURE} (PUBLISHER_PHONE)"
DEMO_EMAIL = "contact@ateliers.example"
DEMO_DIRECTOR = f"nom {TO_CONFIGURE} (PUBLICATION_DIRECTOR)"
DEMO_HOSTING_NAME = f"hébergeur {TO_CONFIGURE} (HOSTING_NAME)"
DEMO_HOSTING_ADDRESS = f"adresse {TO_CONFIGURE} (HOSTING_ADDRESS)"
DEMO_HOSTING_PHONE = f"numéro {TO_CONFIGURE} (HOSTING_PHONE)"


class SettingsError(Exception):
    """A setting is missing or malformed; the message says which, in French."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    secret_key: str
    base_url: str
    timezone: str
    smtp_host: str
    smtp_port: int
    smtp_username: str
    smtp_password: str
    smtp_security: str
    smtp_timeout: float
    mail_from: str
    session_idle_hours: float
    max_request_bytes: int
    login_max_failures_per_account: int
    login_max_failures_per_ip: int
    login_lock_minutes: int
    invitation_valid_days: int
    run_worker_in_process: bool
    signup_cancel_cutoff_hours: int = 24
    reminder_hours_before: int = 48
    signup_max_per_ip_per_hour: int = 20
    # DESIGN rule 6: registrations are anonymised this many months after the family's last session.
    retention_months: int = 24
    # PostgreSQL: connections per process, and how long a request waits for a free one.
    database_pool_size: int = 10
    database_acquire_timeout: float = 5.0
    # What a process asked to stop (SIGTERM) gives its requests and jobs in progress.
    shutdown_grace_seconds: float = 20.0
    # The legal pages (`web/legal.py`): who publishes the service, who hosts it, whom to write to.
    # The defaults are the demo's and say « à configurer »: every deployment sets its own.
    publisher_name: str = DEMO_PUBLISHER_NAME
    publisher_address: str = DEMO_PUBLISHER_ADDRESS
    publisher_email: str = DEMO_EMAIL
    publisher_phone: str = DEMO_PUBLISHER_PHONE
    publication_director: str = DEMO_DIRECTOR
    hosting_name: str = DEMO_HOSTING_NAME
    hosting_address: str = DEMO_HOSTING_ADDRESS
    hosting_phone: str = DEMO_HOSTING_PHONE
    accessibility_email: str = DEMO_EMAIL

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgres://")

    @property
    def is_embedded(self) -> bool:
        """SQLite in a data folder: migrations and the worker run inside the web process."""
        return not self.is_postgres

    @property
    def https(self) -> bool:
        return self.base_url.startswith("https://")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def mail_dir(self) -> Path:
        return self.data_dir / "mail"


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read and check every setting; raise `SettingsError` on the first bad one."""
    env = os.environ if environ is None else environ
    data_dir = Path(_text(env, "DATA_DIR", "./data")).expanduser().resolve()
    database_url = _database_url(env, data_dir)
    is_postgres = database_url.startswith("postgres://")
    publisher_email = _email(env, "PUBLISHER_EMAIL", DEMO_EMAIL)
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        secret_key=_secret_key(env, data_dir, required=is_postgres),
        base_url=_base_url(env),
        timezone=_timezone(env),
        smtp_host=_text(env, "SMTP_HOST", ""),
        smtp_port=_integer(env, "SMTP_PORT", 587, minimum=1, maximum=65535),
        smtp_username=_text(env, "SMTP_USERNAME", ""),
        smtp_password=_text(env, "SMTP_PASSWORD", ""),
        smtp_security=_choice(env, "SMTP_SECURITY", "starttls", SMTP_SECURITY_MODES),
        smtp_timeout=_number(env, "SMTP_TIMEOUT", 30.0, minimum=1.0),
        mail_from=_text(env, "MAIL_FROM", "Ateliers parents-enfants <ne-pas-repondre@localhost>"),
        session_idle_hours=_number(env, "SESSION_IDLE_HOURS", 8.0, minimum=0.1),
        max_request_bytes=_integer(env, "MAX_REQUEST_BYTES", 10 * 1024 * 1024, minimum=1024),
        login_max_failures_per_account=_integer(env, "LOGIN_MAX_FAILURES_PER_ACCOUNT", 5),
        login_max_failures_per_ip=_integer(env, "LOGIN_MAX_FAILURES_PER_IP", 20),
        login_lock_minutes=_integer(env, "LOGIN_LOCK_MINUTES", 15),
        invitation_valid_days=_integer(env, "INVITATION_VALID_DAYS", 7),
        run_worker_in_process=_boolean(env, "RUN_WORKER_IN_PROCESS", not is_postgres),
        signup_cancel_cutoff_hours=_integer(env, "SIGNUP_CANCEL_CUTOFF_HOURS", 24, minimum=0),
        reminder_hours_before=_integer(env, "REMINDER_HOURS_BEFORE", 48),
        signup_max_per_ip_per_hour=_integer(env, "SIGNUP_MAX_PER_IP_PER_HOUR", 20),
        retention_months=_integer(env, "RETENTION_MONTHS", 24, maximum=240),
        database_pool_size=_integer(env, "DATABASE_POOL_SIZE", 10, maximum=200),
        database_acquire_timeout=_number(env, "DATABASE_ACQUIRE_TIMEOUT", 5.0, minimum=0.1),
        shutdown_grace_seconds=_number(env, "SHUTDOWN_GRACE_SECONDS", 20.0, minimum=1.0),
        publisher_name=_text(env, "PUBLISHER_NAME", DEMO_PUBLISHER_NAME),
        publisher_address=_text(env, "PUBLISHER_ADDRESS", DEMO_PUBLISHER_ADDRESS),
        publisher_email=publisher_email,
        publisher_phone=_text(env, "PUBLISHER_PHONE", DEMO_PUBLISHER_PHONE),
        publication_director=_text(env, "PUBLICATION_DIRECTOR", DEMO_DIRECTOR),
        hosting_name=_text(env, "HOSTING_NAME", DEMO_HOSTING_NAME),
        hosting_address=_text(env, "HOSTING_ADDRESS", DEMO_HOSTING_ADDRESS),
        hosting_phone=_text(env, "HOSTING_PHONE", DEMO_HOSTING_PHONE),
        accessibility_email=_email(env, "ACCESSIBILITY_EMAIL", publisher_email),
    )


def _text(env: Mapping[str, str], name: str, default: str) -> str:
    return env.get(name, "").strip() or default


def _email(env: Mapping[str, str], name: str, default: str) -> str:
    """An address shown on the legal pages: one @ with something on each side, no spaces."""
    value = _text(env, name, default)
    local, _, domain = value.partition("@")
    if not local or "." not in domain or "@" in domain or any(c.isspace() for c in value):
        raise SettingsError(f"{name} doit être une adresse électronique (reçu « {value} »).")
    return value


def _integer(
    env: Mapping[str, str], name: str, default: int, *, minimum: int = 1, maximum: int | None = None
) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} doit être un nombre entier (reçu « {raw} »).") from None
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"entre {minimum} et {maximum}" if maximum is not None else f"au moins {minimum}"
        raise SettingsError(f"{name} doit valoir {bound} (reçu {value}).")
    return value


def _number(env: Mapping[str, str], name: str, default: float, *, minimum: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise SettingsError(f"{name} doit être un nombre (reçu « {raw} »).") from None
    if value < minimum:
        raise SettingsError(f"{name} doit valoir au moins {minimum} (reçu {value}).")
    return value


def _boolean(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "oui", "on"):
        return True
    if raw in ("0", "false", "no", "non", "off"):
        return False
    raise SettingsError(f"{name} doit valoir 1 ou 0 (reçu « {raw} »).")


def _choice(env: Mapping[str, str], name: str, default: str, choices: tuple[str, ...]) -> str:
    value = _text(env, name, default).lower()
    if value not in choices:
        raise SettingsError(f"{name} doit valoir {', '.join(choices)} (reçu « {value} »).")
    return value


def _database_url(env: Mapping[str, str], data_dir: Path) -> str:
    raw = env.get("DATABASE_URL", "").strip()
    if not raw:
        return f"sqlite://{data_dir / 'workshops.sqlite3'}"
    scheme = raw.split("://", 1)[0].lower() if "://" in raw else ""
    if scheme in ("postgres", "postgresql"):
        parts = urlsplit(raw)
        # A server on this machine may be reached by its Unix socket: the folder of the socket
        # in `?host=` (postgres://user@/base?host=/var/run/postgresql), as libpq writes it.
        socket = parse_qs(parts.query).get("host", [""])[-1].startswith("/")
        if not (parts.hostname or socket) or not parts.path.strip("/"):
            raise SettingsError("DATABASE_URL doit nommer un hôte et une base PostgreSQL.")
        return "postgres://" + raw.split("://", 1)[1]
    if scheme == "sqlite":
        return raw
    raise SettingsError(
        "DATABASE_URL doit commencer par postgres://, postgresql:// ou sqlite:// "
        f"(reçu « {scheme or raw[:20]} »)."
    )


def _secret_key(env: Mapping[str, str], data_dir: Path, *, required: bool) -> str:
    key = env.get("SECRET_KEY", "").strip()
    if key:
        if len(key) < 32:
            raise SettingsError("SECRET_KEY doit compter au moins 32 caractères.")
        return key
    if required:
        raise SettingsError(
            "SECRET_KEY est obligatoire avec PostgreSQL (au moins 32 caractères aléatoires)."
        )
    return _embedded_secret_key(data_dir)


def _embedded_secret_key(data_dir: Path) -> str:
    """Generate the key once and keep it in the data folder, so sessions survive restarts."""
    path = data_dir / SECRET_KEY_FILE
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        key = path.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise SettingsError(f"DATA_DIR n'est pas accessible en écriture : {error}.") from None
    if len(key) < 32:
        raise SettingsError(f"La clé secrète de {path} est trop courte : supprimez ce fichier.")
    return key


def _base_url(env: Mapping[str, str]) -> str:
    raw = _text(env, "BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"BASE_URL doit être une adresse http(s) complète (reçu « {raw} »).")
    return raw


def _timezone(env: Mapping[str, str]) -> str:
    name = _text(env, "TIMEZONE", "Europe/Paris")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"TIMEZONE n'est pas un fuseau horaire connu (reçu « {name} »)."
        ) from None
    return name
