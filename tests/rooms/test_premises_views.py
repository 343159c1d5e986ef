"""A centre manager describes sites and rooms, offers weekly windows and enters closures."""

from __future__ import annotations

import html
from datetime import timedelta
from decimal import Decimal

import httpx

from tests.clock import PARIS
from tests.factories import log_in, make_organisation
from tests.rooms.factories import Person, make_centre, make_person, make_room, offer
from workshops.accounts.models import Role
from workshops.audit.models import AuditEvent
from workshops.kernel.clock import local_today
from workshops.kernel.settings import Settings
from workshops.rooms.models import Availability, Closure, Room, Site

HX = {"HX-Request": "true"}


async def _manager() -> Person:
    return await make_person(await make_centre(name="Centre Robert Schuman"), Role.CENTRE_MANAGER)


async def test_a_manager_describes_a_site_and_a_room(
    client: httpx.AsyncClient, database: Settings
) -> None:
    manager = await _manager()
    await log_in(client, manager.user.email)
    created = await client.post(
        "/pro/lieux",
        data={
            "organisation": str(manager.organisation.id),
            "name": "Centre Robert Schuman",
            "address": "11 rue du Maréchal Joffre",
            "postcode": "67500",
            "commune": "Haguenau",
            "access_notes": "Local poussettes au rez-de-chaussée, ascenseur",
        },
    )
    assert created.status_code == 303
    site = await Site.get(name="Centre Robert Schuman")
    room_response = await client.post(
        f"/pro/lieux/{site.id}/salles",
        data={
            "name": "Salle petite enfance",
            "capacity": "15",
            "surface_m2": "45",
            "equipment": ["mats", "changing_table", "sink"],
            "step_free": "1",
            "hourly_value": "25,50",
        },
    )
    assert room_response.status_code == 303
    room = await Room.get(site_id=site.id)
    assert room.equipment == ["mats", "changing_table", "sink"]
    assert (room.capacity, room.surface_m2, room.step_free) == (15, 45, True)
    assert room.hourly_value == Decimal("25.50")
    page = await client.get(room_response.headers["location"])
    assert "Tapis de sol, Table à langer, Point d&#39;eau" in page.text
    assert await AuditEvent.filter(action__in=["site.created", "room.created"]).count() == 2


async def test_a_room_with_a_wrong_capacity_comes_back_with_the_values_typed(
    client: httpx.AsyncClient, database: Settings
) -> None:
    manager = await _manager()
    room = await make_room(manager.organisation)
    await log_in(client, manager.user.email)
    response = await client.post(
        f"/pro/lieux/{room.site.id}/salles",
        data={"name": "Salle polyvalente", "capacity": "beaucoup", "hourly_value": "-3"},
    )
    assert response.status_code == 422
    assert (
        'href="#champ-capacity"' in response.text and 'href="#champ-hourly_value"' in response.text
    )
    assert "Indiquez un nombre entier entre 1 et 500." in response.text
    assert 'value="Salle polyvalente"' in response.text
    assert await Room.all().count() == 1


async def test_a_manager_cannot_add_a_site_to_another_centre(
    client: httpx.AsyncClient, database: Settings
) -> None:
    manager = await _manager()
    other = await make_centre(name="Espace familles")
    await log_in(client, manager.user.email)
    response = await client.post(
        "/pro/lieux",
        data={"organisation": str(other.id), "name": "Annexe", "address": "1 rue", "commune": "X"},
    )
    assert response.status_code == 422
    assert "Choisissez un centre partenaire dont vous gérez les salles." in response.text
    assert await Site.all().count() == 0


async def test_an_overlapping_window_is_refused_in_place(
    client: httpx.AsyncClient, database: Settings
) -> None:
    manager = await _manager()
    room = await make_room(manager.organisation)
    await log_in(client, manager.user.email)
    today = local_today(PARIS)
    window = {
        "weekday": "1",
        "start": "09:00",
        "end": "12:00",
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=200)).isoformat(),
    }
    added = await client.post(f"/pro/salles/{room.id}/creneaux", data=window, headers=HX)
    assert added.status_code == 200
    assert "<html" not in added.text and "Le créneau est ajouté." in added.text
    overlapping = await client.post(
        f"/pro/salles/{room.id}/creneaux",
        data={**window, "start": "11:00", "end": "14:00"},
        headers=HX,
    )
    assert overlapping.status_code == 422
    assert "chevauche un créneau déjà proposé" in overlapping.text
    assert 'id="erreur-start"' in overlapping.text
    backwards = await client.post(
        f"/pro/salles/{room.id}/creneaux", data={**window, "start": "15:00", "end": "14:00"}
    )
    assert backwards.status_code == 422
    assert "<html" in backwards.text
    assert "L&#39;heure de fin doit être après l&#39;heure de début." in backwards.text
    assert await Availability.filter(room_id=room.id).count() == 1


async def test_a_closure_in_the_past_is_refused(
    client: httpx.AsyncClient, database: Settings
) -> None:
    manager = await _manager()
    room = await make_room(manager.organisation)
    await log_in(client, manager.user.email)
    response = await client.post(
        f"/pro/lieux/{room.site.id}/fermetures",
        data={"starts_on": "2020-01-01", "ends_on": "2020-01-02", "reason": "Travaux"},
        headers=HX,
    )
    assert response.status_code == 422
    assert "Cette date est déjà passée" in response.text
    assert await Closure.all().count() == 0


async def test_a_holiday_calendar_is_previewed_then_imported(
    client: httpx.AsyncClient, database: Settings
) -> None:
    manager = await _manager()
    room = await make_room(manager.organisation)
    await log_in(client, manager.user.email)
    first = local_today(PARIS) + timedelta(days=30)
    calendar = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//FR\r\n"
        f"BEGIN:VEVENT\r\nUID:vacances\r\nDTSTART;VALUE=DATE:{first:%Y%m%d}\r\n"
        f"DTEND;VALUE=DATE:{first + timedelta(days=14):%Y%m%d}\r\n"
        "SUMMARY:Vacances d'hiver\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    upload = await client.post(
        f"/pro/lieux/{room.site.id}/fermetures/apercu",
        files={"file": ("vacances.ics", calendar, "text/calendar")},
    )
    assert upload.status_code == 200
    assert "Fermetures à importer" in upload.text and "Vacances d&#39;hiver" in upload.text
    assert await Closure.all().count() == 0
    carried = upload.text.split('name="closures" value="')[1].split('"')[0]
    imported = await client.post(
        f"/pro/lieux/{room.site.id}/fermetures/import", data={"closures": html.unescape(carried)}
    )
    assert imported.status_code == 200
    assert "1 fermeture importée." in imported.text
    closure = await Closure.get(site_id=room.site.id)
    assert (closure.reason, closure.starts_on) == ("Vacances d'hiver", first)
    assert closure.ends_on == first + timedelta(days=13)


async def test_a_malformed_calendar_file_is_refused_next_to_the_field(
    client: httpx.AsyncClient, database: Settings
) -> None:
    manager = await _manager()
    room = await make_room(manager.organisation)
    await log_in(client, manager.user.email)
    response = await client.post(
        f"/pro/lieux/{room.site.id}/fermetures/apercu",
        files={"file": ("notes.ics", b"pas un calendrier", "text/calendar")},
    )
    assert response.status_code == 422
    assert 'id="erreur-file"' in response.text
    assert "Ce fichier n&#39;est pas un calendrier .ics lisible." in response.text


async def test_a_facilitator_cannot_manage_rooms(
    client: httpx.AsyncClient, database: Settings
) -> None:
    room = await make_room()
    await offer(room)
    facilitator = await make_person(await make_organisation(), Role.FACILITATOR)
    await log_in(client, facilitator.user.email)
    assert (await client.get("/pro/lieux")).status_code == 403
    added = await client.post(
        f"/pro/salles/{room.id}/creneaux",
        data={
            "weekday": "2",
            "start": "14:00",
            "end": "16:00",
            "valid_from": "2027-01-01",
            "valid_until": "2027-06-30",
        },
    )
    assert added.status_code == 403
    assert await Availability.filter(room_id=room.id).count() == 1


async def test_a_manager_edits_a_site_and_a_room(
    client: httpx.AsyncClient, database: Settings
) -> None:
    manager = await _manager()
    room = await make_room(manager.organisation, equipment=("mats", "sink"))
    await log_in(client, manager.user.email)
    form = await client.get(f"/pro/salles/{room.id}/modifier")
    assert 'value="mats" checked' in form.text and 'value="0,00"' in form.text
    saved = await client.post(
        f"/pro/salles/{room.id}/modifier",
        data={"name": room.name, "capacity": "8", "hourly_value": "18,5"},
    )
    assert saved.status_code == 303
    edited = await Room.get(id=room.id)
    assert (edited.capacity, edited.equipment, edited.hourly_value) == (8, [], Decimal("18.50"))
    site_saved = await client.post(
        f"/pro/lieux/{room.site.id}/modifier",
        data={"name": "Centre Schuman", "address": "5 rue Joffre", "commune": "Haguenau"},
    )
    assert site_saved.status_code == 303
    assert (await Site.get(id=room.site.id)).name == "Centre Schuman"
    assert await AuditEvent.filter(action__in=["site.updated", "room.updated"]).count() == 2


async def test_a_site_commune_is_chosen_from_the_official_list(
    client: httpx.AsyncClient, database: Settings
) -> None:
    manager = await _manager()
    await log_in(client, manager.user.email)
    data = {
        "organisation": str(manager.organisation.id),
        "name": "Maison des familles",
        "address": "1 place de la Gare",
        "commune": "saint denis",
    }
    # Without JavaScript: a name shared by several communes comes back with the proposals.
    refused = await client.post("/pro/lieux", data=data)
    assert refused.status_code == 422
    assert "Plusieurs communes correspondent" in refused.text
    assert 'name="commune_code" value="93066"' in refused.text
    assert not await Site.filter(name="Maison des familles").exists()
    created = await client.post("/pro/lieux", data={**data, "commune_code": "93066"})
    assert created.status_code == 303
    site = await Site.get(name="Maison des familles")
    assert (site.commune_code, site.commune) == ("93066", "Saint-Denis")
    # A name typed another way that names one commune is stored with its code and official name.
    edited = await client.post(
        f"/pro/lieux/{site.id}/modifier", data={**data, "commune": "HAGUENAU "}
    )
    assert edited.status_code == 303
    await site.refresh_from_db()
    assert (site.commune_code, site.commune) == ("67180", "Haguenau")
    form = await client.get(f"/pro/lieux/{site.id}/modifier")
    assert 'hx-get="/communes"' in form.text
    assert 'value="67180" checked' in form.text
    unknown = await client.post(
        f"/pro/lieux/{site.id}/modifier", data={**data, "commune": "Hagenau", "commune_code": "x"}
    )
    assert unknown.status_code == 422
    assert "pas dans la liste officielle" in unknown.text
    abroad = await client.post(
        f"/pro/lieux/{site.id}/modifier",
        data={**data, "commune": "Baden-Baden", "commune_code": "autre"},
    )
    assert abroad.status_code == 303
    await site.refresh_from_db()
    assert (site.commune_code, site.commune) == ("", "Baden-Baden")


async def test_removing_a_slot_in_place_puts_the_focus_on_the_slot_now_at_its_place(
    client: httpx.AsyncClient, database: Settings
) -> None:
    manager = await _manager()
    room = await make_room(manager.organisation)
    await log_in(client, manager.user.email)
    today = local_today(PARIS)
    for weekday in ("1", "3"):
        await client.post(
            f"/pro/salles/{room.id}/creneaux",
            data={
                "weekday": weekday,
                "start": "09:00",
                "end": "12:00",
                "valid_from": today.isoformat(),
                "valid_until": (today + timedelta(days=200)).isoformat(),
            },
        )
    tuesday, thursday = await Availability.filter(room_id=room.id).order_by("weekday")
    removed = await client.post(
        f"/pro/salles/{room.id}/creneaux/{tuesday.id}/retrait?rang=0", headers=HX
    )
    assert removed.status_code == 200
    assert '<p class="notice" id="message-action" data-announce="">Le créneau est retiré.' in (
        removed.text
    )
    assert 'class="link-button" data-focus>Retirer le créneau du jeudi' in removed.text
    last = await client.post(
        f"/pro/salles/{room.id}/creneaux/{thursday.id}/retrait?rang=0", headers=HX
    )
    # None left: the list's heading takes the focus.
    assert '<h2 id="titre-creneaux" data-focus>' in last.text
    assert await Availability.filter(room_id=room.id).count() == 0
    # Without JavaScript the same form answers with the whole page and no marker.
    page = await client.get(f"/pro/salles/{room.id}")
    assert "data-focus" not in page.text and "data-announce" not in page.text
