"""Reading submitted forms safely: every field a string of bounded length, never a 500.

A field sent twice keeps its first value, a file where text was expected counts as empty, and a
body that cannot be parsed is a 400 with a French page. Characters no one types are dropped
(`typed_text`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from workshops.kernel.i18n import _, ngettext

# Control characters (C0 but the tab and line breaks, DEL, C1) and Unicode noncharacters: no
# keyboard types them, PostgreSQL refuses NUL in text, and a page that shows one back is not
# valid HTML (WHATWG: "control-character-in-input-stream", "noncharacter-in-input-stream").
_UNTYPED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef"
    + "".join(
        f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
    )
    + "]"
)


def typed_text(value: str) -> str:
    """`value` without the characters no one types (see `_UNTYPED`)."""
    return _UNTYPED.sub("", value)


@dataclass
class SubmittedForm:
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> str:
        return self.values.get(name, "")


async def read_form(request: Request, limits: Mapping[str, int]) -> SubmittedForm:
    """The fields named in `limits` (name -> maximum length), stripped, with length errors."""
    unreadable = HTTPException(400, _("Le formulaire envoyé est illisible."))
    try:
        data = await request.form(max_files=0, max_fields=200)
    except HTTPException as error:
        # Starlette reports a malformed body as a 400 with an English detail: say it in French.
        raise (unreadable if error.status_code == 400 else error) from None
    except (MultiPartException, ValueError, UnicodeDecodeError, AssertionError):
        raise unreadable from None
    form = SubmittedForm(values={})
    for name, maximum in limits.items():
        raw = data.getlist(name)
        value = raw[0] if raw and not isinstance(raw[0], UploadFile) else ""
        value = typed_text(str(value)).strip()
        if len(value) > maximum:
            form.errors[name] = ngettext(
                "Ce champ ne doit pas dépasser %(num)s caractère.",
                "Ce champ ne doit pas dépasser %(num)s caractères.",
                maximum,
            )
            value = value[:maximum]
        form.values[name] = value
    return form


async def read_choices(request: Request, name: str, allowed: Collection[str]) -> list[str]:
    """Every value of a field sent several times (checkboxes), keeping only `allowed` ones."""
    if request.method == "GET":
        values: list[object] = list(request.query_params.getlist(name))
    else:
        try:
            values = list((await request.form(max_files=0, max_fields=200)).getlist(name))
        except (MultiPartException, ValueError, UnicodeDecodeError, AssertionError):
            raise HTTPException(400, _("Le formulaire envoyé est illisible.")) from None
    return [value for value in dict.fromkeys(values) if isinstance(value, str) and value in allowed]


async def read_upload(request: Request, name: str, max_bytes: int) -> bytes:
    """The content of the uploaded file `name`, empty when none was sent.

    Raises `HTTPException(413)` when the file is larger than `max_bytes`.
    """
    try:
        data = await request.form(max_files=1, max_fields=20)
    except (MultiPartException, ValueError, UnicodeDecodeError, AssertionError):
        raise HTTPException(400, _("Le formulaire envoyé est illisible.")) from None
    upload = data.get(name)
    if not isinstance(upload, UploadFile):
        return b""
    try:
        content = await upload.read(max_bytes + 1)
    finally:
        await upload.close()
    if len(content) > max_bytes:
        raise HTTPException(413)
    return content
