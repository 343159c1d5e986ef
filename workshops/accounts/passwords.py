"""Password hashing (argon2id) and the password policy of DESIGN.md section 5."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from workshops.kernel.i18n import _

MINIMUM_LENGTH = 12
MAXIMUM_LENGTH = 256
_hasher = PasswordHasher()
# Verified against when the account does not exist, so that both answers take the same time.
_DUMMY_HASH = _hasher.hash("ce mot de passe ne sert qu'à perdre du temps")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def waste_time_like_a_verification(password: str) -> None:
    verify_password(_DUMMY_HASH, password)


@cache
def _common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common_passwords.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip())


def password_problem(password: str, *, email: str) -> str | None:
    """Why this password is refused, in the visitor's language, or None when it is fine."""
    if len(password) < MINIMUM_LENGTH:
        return _("Le mot de passe doit compter au moins %(n)s caractères.", n=MINIMUM_LENGTH)
    if len(password) > MAXIMUM_LENGTH:
        return _("Le mot de passe ne doit pas dépasser %(n)s caractères.", n=MAXIMUM_LENGTH)
    lowered = password.strip().lower()
    if lowered == email.strip().lower() or lowered == email.split("@")[0].lower():
        return _("Le mot de passe ne doit pas reprendre l'adresse e-mail.")
    if lowered in _common_passwords() or len(set(lowered)) <= 2:
        return _("Ce mot de passe est trop courant : choisissez-en un autre.")
    return None
