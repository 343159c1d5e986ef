"""Names typed with an apostrophe, an ampersand and a `<` are shown exactly as typed, everywhere.

A workshop, its room, its centre, the commune and the family's name each hold the three characters
HTML and iCalendar treat specially. Pages and the HTML part of e-mails are read as a browser reads
them (html5lib) and compared as text: escaped once, a name reads as typed; escaped twice it reads
`L&#39;heure`; not escaped, `<jeux>` becomes a tag and vanishes. The text part of e-mails and the
calendar files hold the raw text, calendars unfolded and unescaped by icalendar (RFC 5545).
"""

from __future__ import annotations

import re
from email.message import EmailMessage

import html5lib
import httpx
from icalendar import Calendar

from tests.factories import log_in
from tests.planning.factories import make_workshop
from tests.rooms.factories import ask, make_centre, make_person, make_room, offer
from tests.signup.helpers import mails_to, months_ago
from workshops.accounts.models import Organisation, Role
from workshops.kernel.settings import Settings
from workshops.mail.composer import compose
from workshops.mail.models import OutboxMessage
from workshops.planning.models import Facilitation, Workshop
from workshops.web.communes import CODE_FIELD, OTHER

TITLE = "L'heure d'éveil & <jeux>"
ROOM = "Salle l'Arche & <Bleue>"
CENTRE = "Centre d'Ici & <Là>"
COMMUNE = "L'Île-d'Ici & <Bas>"
FAMILY = "Zoé O'Brien & <Fils>"
EMAIL = "zoe@exemple.fr"
LINK = re.compile(r"/inscription/[A-Za-z0-9_-]+")


def visible_text(markup: str) -> str:
    """The text of a page or an e-mail's HTML as a browser reads it: its text nodes, one space
    between two of them (a `<br>`, a table cell), spaces collapsed."""
    tree = html5lib.parse(markup, namespaceHTMLElements=False)
    return " ".join(" ".join(tree.itertext()).split())


def texts_of(markup: str, tag: str) -> list[str]:
    """The text of each `tag` element of a page, spaces collapsed."""
    tree = html5lib.parse(markup, namespaceHTMLElements=False)
    return [" ".join("".join(element.itertext()).split()) for element in tree.iter(tag)]


def events(calendar: str | bytes) -> list[dict[str, str]]:
    """The SUMMARY and LOCATION of each event, unfolded and unescaped."""
    return [
        {name: str(event.get(name, "")) for name in ("SUMMARY", "LOCATION")}
        for event in Calendar.from_ical(calendar).walk("VEVENT")
    ]


def assert_place(event: dict[str, str]) -> None:
    assert event["SUMMARY"] == TITLE
    assert event["LOCATION"].startswith(f"{ROOM}, Lieu de {CENTRE}, ")
    assert event["LOCATION"].endswith(COMMUNE)


def calendar_attachment(mail: EmailMessage) -> bytes:
    [attachment] = [part for part in mail.iter_attachments() if part.get_filename()]
    content = attachment.get_content()
    assert isinstance(content, bytes)
    return content


async def named_workshop() -> tuple[Workshop, Organisation]:
    """A workshop of two sessions in ROOM of CENTRE, at COMMUNE, and that centre."""
    centre = await make_centre(name=CENTRE, commune=COMMUNE)
    room = await make_room(centre, name=ROOM, commune=COMMUNE)
    return await make_workshop(title=TITLE, room=room, sessions=2), centre


async def sign_up(client: httpx.AsyncClient, workshop: Workshop) -> httpx.Response:
    form = {
        "parent_name": FAMILY,
        "email": EMAIL,
        "commune": COMMUNE,
        # Not on the official list: kept as typed, as « Hors de France ou autre » does.
        CODE_FIELD: OTHER,
        "adults": "1",
        "child_1_kind": "born",
        "child_1_month": months_ago(4).strftime("%Y-%m"),
        "first_time": "oui",
        "heard_from": "pmi",
        "reminders": "oui",
    }
    return await client.post(f"/ateliers/{workshop.id}/inscription", data=form)


async def test_a_family_sees_every_typed_name_as_typed_on_pages_mail_and_calendars(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop, centre = await named_workshop()

    catalogue = visible_text((await client.get("/")).text)
    assert TITLE in catalogue
    assert f"Lieu de {CENTRE} ({COMMUNE})" in catalogue
    markup = (await client.get(f"/ateliers/{workshop.id}")).text
    assert texts_of(markup, "h1") == [TITLE]
    # The title names the workshop as typed, then its first date (titles are unique).
    assert texts_of(markup, "title")[0].startswith(f"{TITLE}, ")
    assert visible_text(markup).count(f"{ROOM}, Lieu de {CENTRE}, 1 rue de la Paix,") == 2
    signed_up = await sign_up(client, workshop)
    assert signed_up.status_code == 200
    assert f"Votre demande d'inscription à l'atelier « {TITLE} » est enregistrée." in (
        visible_text(signed_up.text)
    )

    [message] = await mails_to(EMAIL, "signup_confirmed")
    assert message.subject == f"Inscription confirmée : {TITLE}"
    for body in (message.text_body, visible_text(message.html_body)):
        assert f"Bonjour {FAMILY}," in body
        assert f"Votre inscription à l'atelier « {TITLE} » est confirmée." in body
        assert body.count(f"{ROOM}, Lieu de {CENTRE}, 1 rue de la Paix, {COMMUNE}") == 2
    sent = compose(message, database)
    for calendar in (message.calendar, calendar_attachment(sent)):
        invitations = events(calendar)
        assert len(invitations) == 2
        for event in invitations:
            assert_place(event)

    link = LINK.search(message.text_body)
    assert link is not None
    mine = visible_text((await client.get(link.group(0))).text)
    assert TITLE in mine
    assert f"{ROOM}, Lieu de {CENTRE}, 1 rue de la Paix, {COMMUNE}" in mine

    for feed in ("/ateliers.ics", f"/ateliers.ics?centre={centre.id}"):
        answer = await client.get(feed)
        assert answer.status_code == 200
        published = events(answer.content)
        assert len(published) == 2
        for event in published:
            assert_place(event)


async def test_the_facilitator_sees_the_family_name_and_commune_as_typed(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop, _centre = await named_workshop()
    await sign_up(client, workshop)
    lead = await Facilitation.filter(workshop_id=workshop.id).prefetch_related("user").first()
    assert lead is not None
    await log_in(client, lead.user.email)

    registrations = visible_text(
        (await client.get(f"/pro/ateliers/{workshop.id}/inscriptions")).text
    )
    assert f"{FAMILY} {COMMUNE}" in registrations
    assert TITLE in registrations
    sheet = visible_text((await client.get(f"/pro/ateliers/{workshop.id}/feuille")).text)
    assert FAMILY in sheet
    assert TITLE in sheet


async def test_a_centre_manager_reads_the_room_and_centre_names_as_typed_in_a_request(
    client: httpx.AsyncClient, database: Settings
) -> None:
    centre = await make_centre(name=CENTRE, commune=COMMUNE)
    room = await make_room(centre, name=ROOM, commune=COMMUNE)
    await offer(room)
    manager = await make_person(centre, Role.CENTRE_MANAGER)
    facilitator = await make_person(await make_centre(name=f"PMI {COMMUNE}"), Role.FACILITATOR)
    await ask(room, facilitator, settings=database)

    [request] = await OutboxMessage.filter(recipient=manager.user.email, template="room_request")
    assert ROOM in request.subject
    assert f"Lieu de {CENTRE}" in request.subject
    for body in (request.text_body, visible_text(request.html_body)):
        assert f"{ROOM}, Lieu de {CENTRE}, 1 rue de la Paix, {COMMUNE}" in body
        assert f"PMI {COMMUNE}" in body
        assert f"structure suivante : {CENTRE}." in body
    await log_in(client, manager.user.email)
    room_page = visible_text((await client.get(f"/pro/salles/{room.id}")).text)
    assert ROOM in room_page
    assert f"Lieu de {CENTRE}" in room_page
    form = await client.get(f"/pro/salles/{room.id}/modifier")
    assert field_value(form.text, "name") == ROOM


def field_value(markup: str, name: str) -> str | None:
    """The value a browser fills the input `name` with."""
    tree = html5lib.parse(markup, namespaceHTMLElements=False)
    [field] = [element for element in tree.iter("input") if element.get("name") == name]
    value: str | None = field.get("value")
    return value
