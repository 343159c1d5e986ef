"""The PDF files of a convention: the signed convention and each party's insurance certificate.

A file is accepted only if its content is a PDF (it starts with `%PDF-`, whatever its name or
announced type says), is not empty, and is at most `MAX_DOCUMENT_BYTES`. That limit stays below
the request size limit (`MAX_REQUEST_BYTES`, 10 MB) so a file too big is refused next to its
field rather than by a bare error page. Files are stored under DATA_DIR/documents with a random
name: the uploaded name is kept only to be shown and offered on download, never used as a path.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from workshops.audit import Actor, record_event
from workshops.kernel.db import transaction
from workshops.kernel.i18n import N_, _
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.partners.conventions import FIRST_YEAR, LAST_YEAR
from workshops.partners.models import Convention, ConventionDocument, DocumentKind

MAX_DOCUMENT_BYTES = 8 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
DOCUMENTS_FOLDER = "documents"
KIND_LABELS = {
    DocumentKind.SIGNED_CONVENTION: N_("Convention signée"),
    DocumentKind.INSURANCE: N_("Attestation d'assurance"),
}
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


@dataclass(frozen=True)
class Upload:
    kind: DocumentKind
    filename: str
    content: bytes
    party_id: int | None = None
    expires_on: date | None = None


def documents_dir(settings: Settings) -> Path:
    return settings.data_dir / DOCUMENTS_FOLDER


def too_big_message() -> str:
    return _(
        "Le fichier dépasse %(mb)s Mo : envoyez un PDF plus léger.",
        mb=MAX_DOCUMENT_BYTES // (1024 * 1024),
    )


def content_problem(content: bytes) -> str | None:
    if not content:
        return _("Choisissez un fichier PDF (le fichier envoyé est vide ou absent).")
    if len(content) > MAX_DOCUMENT_BYTES:
        return too_big_message()
    if not content.startswith(PDF_MAGIC):
        return _("Ce fichier n'est pas un PDF : enregistrez le document au format PDF.")
    return None


def display_name(filename: str, kind: DocumentKind) -> str:
    """A harmless name to show and offer on download: letters, digits, dots, dashes."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    name = _UNSAFE.sub("_", Path(ascii_name.replace("\\", "/")).name).strip(" ._")[:150]
    if not name:
        name = "convention-signee" if kind is DocumentKind.SIGNED_CONVENTION else "attestation"
    return name if name.lower().endswith(".pdf") else f"{name}.pdf"


def _upload_errors(convention: Convention, upload: Upload) -> dict[str, str]:
    errors: dict[str, str] = {}
    problem = content_problem(upload.content)
    if problem:
        errors["file"] = problem
    if upload.kind is DocumentKind.INSURANCE:
        if upload.party_id not in (convention.pmi_id, convention.partner_id):
            errors["party"] = _("Choisissez la partie assurée.")
        if upload.expires_on is None:
            errors["expires_on"] = _("Indiquez la date de fin de validité de l'attestation.")
        elif not FIRST_YEAR <= upload.expires_on.year <= LAST_YEAR:
            errors["expires_on"] = _(
                "Indiquez une date entre %(first)s et %(last)s.", first=FIRST_YEAR, last=LAST_YEAR
            )
    return errors


async def attach_document(
    *, actor: Actor, settings: Settings, convention: Convention, upload: Upload
) -> ConventionDocument:
    """Check and store an uploaded PDF; on any refusal nothing is written."""
    errors = _upload_errors(convention, upload)
    if errors:
        raise Invalid(errors)
    folder = documents_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16) + ".pdf"
    path = folder / stored_name
    path.write_bytes(upload.content)
    insurance = upload.kind is DocumentKind.INSURANCE
    try:
        async with transaction():
            document = await ConventionDocument.create(
                convention_id=convention.id,
                kind=upload.kind,
                party_id=upload.party_id if insurance else None,
                expires_on=upload.expires_on if insurance else None,
                stored_name=stored_name,
                original_name=display_name(upload.filename, upload.kind),
                size=len(upload.content),
                uploaded_by_id=actor.staff.id if actor.staff else None,
            )
            await record_event(
                actor=actor,
                action="convention.document_added",
                summary=f"{KIND_LABELS[upload.kind]} ajoutée à la convention n° {convention.id}",
                object_type="convention",
                object_id=convention.id,
                organisation_id=convention.pmi_id,
                details={"document_id": document.id},
            )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return document


async def documents_of(convention: Convention) -> list[ConventionDocument]:
    documents = await ConventionDocument.filter(convention_id=convention.id).prefetch_related(
        "party"
    )
    return list(documents)


async def get_document(convention: Convention, document_id: int) -> ConventionDocument | None:
    document: ConventionDocument | None = await ConventionDocument.get_or_none(
        id=document_id, convention_id=convention.id
    )
    return document


def document_path(settings: Settings, document: ConventionDocument) -> Path | None:
    """Where the file is, if it is still there; the stored name is ours, never the user's."""
    path = documents_dir(settings) / Path(document.stored_name).name
    return path if path.is_file() else None


def kind_label(kind: DocumentKind) -> str:
    return _(KIND_LABELS[kind])
