"""The secret link of a registration: `/inscription/{token}`, the family's only key.

The token is 32 random bytes (256 bits, above the 128 DESIGN asks for). Only its SHA-256 is
stored: a copy of the database opens no registration. The price: a lost link cannot be sent
again as it was, so asking for it again (signing up twice with the same e-mail) makes a new
token and the older link stops working.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from workshops.kernel import urls
from workshops.kernel.settings import Settings

TOKEN_BYTES = 32
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{40,64}$")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def looks_like_token(token: str) -> bool:
    return bool(TOKEN_PATTERN.match(token))


def registration_url(token: str, settings: Settings) -> str:
    return urls.absolute(settings.base_url, "signup.registration", token=token)
