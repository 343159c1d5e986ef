"""Signed conventions and insurance certificates: PDFs only, stored safely, shown to the parties."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.factories import log_in, make_organisation, make_user
from tests.partners.factories import Partnership, make_partnership
from tests.rooms.factories import make_centre
from workshops.accounts.models import OrganisationKind, Role
from workshops.audit.models import AuditEvent
from workshops.kernel.settings import Settings
from workshops.partners.documents import MAX_DOCUMENT_BYTES, display_name
from workshops.partners.models import ConventionDocument, DocumentKind

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def _documents_dir(settings: Settings) -> Path:
    return settings.data_dir / "documents"


async def _upload(
    client: httpx.AsyncClient,
    partnership: Partnership,
    content: bytes,
    filename: str = "convention.pdf",
    **fields: str,
) -> httpx.Response:
    data = {"document_kind": "signed_convention", **fields}
    return await client.post(
        f"/pro/conventions/{partnership.convention.id}/documents",
        data=data,
        files={"file": (filename, content, "application/pdf")},
    )


async def test_a_coordinator_attaches_the_signed_convention_under_a_random_name(
    client: httpx.AsyncClient, database: Settings
) -> None:
    partnership = await make_partnership()
    await log_in(client, partnership.coordinator.user.email)
    page = await client.get(f"/pro/conventions/{partnership.convention.id}")
    for name in ("document_kind", "file", "document_party", "document_expires_on"):
        assert f'name="{name}"' in page.text  # the fields the upload reads

    response = await _upload(client, partnership, PDF, filename="../../Convention signée.pdf")

    assert response.status_code == 303
    document = await ConventionDocument.get(convention_id=partnership.convention.id)
    assert document.kind is DocumentKind.SIGNED_CONVENTION
    assert document.original_name == "Convention signee.pdf"
    stored = list(_documents_dir(database).iterdir())
    assert [path.name for path in stored] == [document.stored_name]
    assert "Convention" not in document.stored_name
    assert stored[0].read_bytes() == PDF
    assert await AuditEvent.filter(action="convention.document_added").count() == 1


async def test_an_insurance_certificate_needs_its_party_and_expiry_date(
    client: httpx.AsyncClient, database: Settings
) -> None:
    partnership = await make_partnership()
    await log_in(client, partnership.coordinator.user.email)

    missing = await _upload(
        client, partnership, PDF, document_kind="insurance", document_expires_on="2027-03-31"
    )
    assert missing.status_code == 422
    assert 'id="erreur-document_party"' in missing.text
    assert 'value="2027-03-31"' in missing.text

    done = await _upload(
        client,
        partnership,
        PDF,
        document_kind="insurance",
        document_party=str(partnership.centre.id),
        document_expires_on="2027-03-31",
    )
    assert done.status_code == 303
    document = await ConventionDocument.get(convention_id=partnership.convention.id)
    assert document.party_id == partnership.centre.id
    assert str(document.expires_on) == "2027-03-31"


async def test_refused_files_are_explained_next_to_the_field_and_nothing_is_saved(
    client: httpx.AsyncClient, database: Settings
) -> None:
    partnership = await make_partnership()
    await log_in(client, partnership.coordinator.user.email)
    too_big = PDF + b"0" * MAX_DOCUMENT_BYTES

    cases = [
        (b"<html>pas un pdf</html>", "n&#39;est pas un PDF"),
        (b"", "vide ou absent"),
        (too_big, "dépasse 8 Mo"),
    ]
    for content, message in cases:
        response = await _upload(client, partnership, content)
        assert response.status_code == 422
        assert 'id="erreur-document_file"' in response.text
        assert message in response.text

    assert await ConventionDocument.all().count() == 0
    assert not _documents_dir(database).exists() or not any(_documents_dir(database).iterdir())


async def test_documents_are_served_to_both_parties_as_attachments(
    client: httpx.AsyncClient, database: Settings
) -> None:
    partnership = await make_partnership()
    await log_in(client, partnership.coordinator.user.email)
    await _upload(client, partnership, PDF, filename="convention.pdf")
    document = await ConventionDocument.get(convention_id=partnership.convention.id)
    path = f"/pro/conventions/{partnership.convention.id}/documents/{document.id}"

    for person in (partnership.coordinator, partnership.manager):
        await log_in(client, person.user.email)
        response = await client.get(path)
        assert response.status_code == 200
        assert response.content == PDF
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"].startswith("attachment;")
        assert "convention.pdf" in response.headers["content-disposition"]
        assert response.headers["x-content-type-options"] == "nosniff"


async def test_nobody_else_downloads_a_convention_document(
    client: httpx.AsyncClient, database: Settings
) -> None:
    partnership = await make_partnership()
    other = await make_partnership()
    await log_in(client, partnership.coordinator.user.email)
    await _upload(client, partnership, PDF)
    document = await ConventionDocument.get(convention_id=partnership.convention.id)
    path = f"/pro/conventions/{partnership.convention.id}/documents/{document.id}"
    outsiders = [
        await make_user(await make_centre(), Role.CENTRE_MANAGER),
        await make_user(await make_organisation(OrganisationKind.PMI), Role.COORDINATOR),
        await make_user(partnership.pmi, Role.FACILITATOR),
        other.manager.user,
    ]

    for outsider in outsiders:
        await log_in(client, outsider.email)
        response = await client.get(path)
        assert response.status_code == 403
        assert PDF not in response.content

    # The document of one convention is not reachable through another convention's address.
    await log_in(client, other.coordinator.user.email)
    sideways = f"/pro/conventions/{other.convention.id}/documents/{document.id}"
    assert (await client.get(sideways)).status_code == 404


async def test_a_centre_manager_cannot_upload(
    client: httpx.AsyncClient, database: Settings
) -> None:
    partnership = await make_partnership()
    await log_in(client, partnership.manager.user.email)

    assert (await _upload(client, partnership, PDF)).status_code == 403
    assert await ConventionDocument.all().count() == 0


def test_a_download_name_never_carries_a_path_or_odd_characters() -> None:
    assert display_name("../../etc/passwd", DocumentKind.INSURANCE) == "passwd.pdf"
    assert display_name("C:\\Users\\a\\Attestation 2026.PDF", DocumentKind.INSURANCE) == (
        "Attestation 2026.PDF"
    )
    assert display_name('"; x=".pdf', DocumentKind.SIGNED_CONVENTION) == "x_.pdf"
    assert display_name("", DocumentKind.SIGNED_CONVENTION) == "convention-signee.pdf"
