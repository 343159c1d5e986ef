"""Characters no one types (control characters, noncharacters) never reach a view: a form or a
filter shown back to the visitor is then still valid HTML, and PostgreSQL never sees a NUL."""

from __future__ import annotations

import html5lib
import httpx

from tests.planning.factories import make_workshop
from tests.rooms.factories import make_room
from workshops.kernel.settings import Settings
from workshops.web.forms import typed_text

UNTYPED = "\x00\x01\x0b\x1b\x1f\x7f\x85\x9f\ufdd0\ufffe\U0010ffff"


def field_value(markup: str, name: str) -> str | None:
    tree = html5lib.parse(markup, namespaceHTMLElements=False)
    [field] = [element for element in tree.iter("input") if element.get("name") == name]
    value: str | None = field.get("value")
    return value


def test_tabs_line_breaks_and_every_letter_are_kept() -> None:
    assert typed_text(f"L'Île{UNTYPED}-d'Ici\tet\r\nSaint-Léger 🧸 ٣٤٥") == (
        "L'Île-d'Ici\tet\r\nSaint-Léger 🧸 ٣٤٥"
    )


async def test_a_login_typed_with_control_characters_comes_back_without_them(
    client: httpx.AsyncClient, database: Settings
) -> None:
    response = await client.post(
        "/pro/connexion", data={"email": f"lea{UNTYPED}@exemple.fr", "password": "non"}
    )

    assert response.status_code == 422
    assert field_value(response.text, "email") == "lea@exemple.fr"


async def test_a_catalogue_filter_with_control_characters_is_read_without_them(
    client: httpx.AsyncClient, database: Settings
) -> None:
    await make_workshop(title="Massage à Daix", room=await make_room(commune="Daix"))

    response = await client.get("/", params={"commune": f"Da{UNTYPED}ix", "du": "\x1f"})

    assert response.status_code == 200
    assert "Massage à Daix" in response.text
    assert field_value(response.text, "du") == ""
