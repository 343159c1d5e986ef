"""Uploading and downloading a convention's PDF files; only the convention's parties download."""

from __future__ import annotations

from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from workshops.kernel import urls
from workshops.kernel.i18n import _
from workshops.kernel.validation import Invalid
from workshops.partners import documents
from workshops.partners.models import DocumentKind
from workshops.partners.pages.conventions import detail_page
from workshops.partners.pages.guards import convention_for
from workshops.rooms import read_date
from workshops.web.auth import actor_of
from workshops.web.forms import read_form, read_upload

# The form shares its page with the signature and termination forms: its fields are prefixed.
UPLOAD_FIELDS = {"document_kind": 20, "document_party": 9, "document_expires_on": 10}


async def document_upload(request: Request) -> Response:
    access = await convention_for(request, manage=True)
    convention = access.convention
    too_big = False
    try:
        content = await read_upload(request, "file", documents.MAX_DOCUMENT_BYTES)
    except HTTPException as error:
        if error.status_code != 413:
            raise
        content, too_big = b"", True
    form = await read_form(request, UPLOAD_FIELDS)
    kind = form["document_kind"]
    if kind not in {k.value for k in DocumentKind}:
        form.errors["document_kind"] = _("Choisissez le type de document.")
    insurance = kind == DocumentKind.INSURANCE.value
    expires_on = read_date(
        form["document_expires_on"], "document_expires_on", form.errors, required=insurance
    )
    if too_big:
        form.errors["document_file"] = documents.too_big_message()
    if not form.errors:
        upload = documents.Upload(
            kind=DocumentKind(kind),
            filename=await _filename(request),
            content=content,
            party_id=int(form["document_party"]) if form["document_party"].isdigit() else None,
            expires_on=expires_on,
        )
        try:
            await documents.attach_document(
                actor=actor_of(request, access.staff),
                settings=request.app.state.settings,
                convention=convention,
                upload=upload,
            )
        except Invalid as invalid:
            form.errors.update({f"document_{name}": text for name, text in invalid.errors.items()})
        else:
            return RedirectResponse(
                urls.path("partners.convention", convention_id=convention.id) + "#documents",
                status_code=303,
            )
    return await detail_page(request, access, form=form, status_code=422)


async def _filename(request: Request) -> str:
    upload = (await request.form()).get("file")
    return str(getattr(upload, "filename", "") or "")[:300]


async def document_download(request: Request) -> Response:
    access = await convention_for(request)
    document = await documents.get_document(access.convention, request.path_params["document_id"])
    if document is None:
        raise HTTPException(404)
    path = documents.document_path(request.app.state.settings, document)
    if path is None:
        raise HTTPException(404)
    name = document.original_name
    return FileResponse(
        path,
        media_type="application/pdf",
        headers={
            "content-disposition": f'attachment; filename="{quote(name)}"; '
            f"filename*=UTF-8''{quote(name)}",
            "x-content-type-options": "nosniff",
            "cache-control": "private, no-store",
        },
    )


routes = [
    Route(
        "/pro/conventions/{convention_id:id}/documents",
        document_upload,
        methods=["POST"],
        name="partners.document_upload",
    ),
    Route(
        "/pro/conventions/{convention_id:id}/documents/{document_id:id}",
        document_download,
        methods=["GET"],
        name="partners.document",
    ),
]
