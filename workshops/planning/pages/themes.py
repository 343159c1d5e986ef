"""Coordinators' pages of workshop themes: the list, a new theme, changing one."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from workshops.accounts import Permission
from workshops.kernel import urls
from workshops.kernel.validation import Invalid
from workshops.planning.models import Theme
from workshops.planning.themes import ThemeDraft, save_theme, seed_usual_themes
from workshops.rooms import read_whole_number
from workshops.web.auth import actor_of, require_permission
from workshops.web.forms import SubmittedForm, read_form
from workshops.web.templating import render

THEME_FIELDS = {
    "name": 120,
    "description": 3000,
    "prenatal": 3,
    "min_age_months": 3,
    "max_age_months": 3,
    "duration": 3,
    "group_size": 3,
    "what_to_bring": 1000,
}


def _values(theme: Theme) -> dict[str, str]:
    def text(value: int | None) -> str:
        return "" if value is None else str(value)

    return {
        "name": theme.name,
        "description": theme.description,
        "prenatal": "oui" if theme.prenatal else "",
        "min_age_months": text(theme.min_age_months),
        "max_age_months": text(theme.max_age_months),
        "duration": str(theme.default_duration_minutes),
        "group_size": str(theme.default_group_size),
        "what_to_bring": theme.what_to_bring,
    }


def _draft(form: SubmittedForm) -> ThemeDraft | None:
    errors = form.errors

    def number(name: str, maximum: int, required: bool = False) -> int | None:
        return read_whole_number(
            form[name], name, errors, minimum=0, maximum=maximum, required=required
        )

    low, high = number("min_age_months", 216), number("max_age_months", 216)
    duration, size = number("duration", 600, True), number("group_size", 200, True)
    if errors or duration is None or size is None:
        return None
    return ThemeDraft(
        name=form["name"],
        description=form["description"],
        prenatal=form["prenatal"] == "oui",
        min_age_months=low,
        max_age_months=high,
        default_duration_minutes=duration,
        default_group_size=size,
        what_to_bring=form["what_to_bring"],
    )


async def _page(request: Request, form: SubmittedForm, theme: Theme | None = None) -> Response:
    return render(
        request,
        "planning/themes.html",
        {"themes": await Theme.all().order_by("name"), "form": form, "theme": theme},
        status_code=422 if form.errors else 200,
    )


async def theme_list(request: Request) -> Response:
    await require_permission(request, Permission.MANAGE_THEMES)
    return await _page(request, SubmittedForm(values={"duration": "90", "group_size": "8"}))


async def _theme(request: Request) -> Theme:
    theme = await Theme.get_or_none(id=request.path_params["theme_id"])
    if theme is None:
        raise HTTPException(404)
    return theme


async def theme_page(request: Request) -> Response:
    await require_permission(request, Permission.MANAGE_THEMES)
    theme = await _theme(request)
    return await _page(request, SubmittedForm(values=_values(theme)), theme)


async def save(request: Request) -> Response:
    staff = await require_permission(request, Permission.MANAGE_THEMES)
    theme = await _theme(request) if "theme_id" in request.path_params else None
    form = await read_form(request, THEME_FIELDS)
    draft = _draft(form)
    try:
        if draft is None:
            raise Invalid(form.errors)
        await save_theme(actor=actor_of(request, staff), draft=draft, theme=theme)
    except Invalid as refused:
        form.errors.update(refused.errors)
        return await _page(request, form, theme)
    return RedirectResponse(urls.path("planning.themes"), status_code=303)


async def add_usual(request: Request) -> Response:
    await require_permission(request, Permission.MANAGE_THEMES)
    await seed_usual_themes()
    return RedirectResponse(urls.path("planning.themes"), status_code=303)


routes = [
    Route("/pro/types-d-atelier", theme_list, methods=["GET"], name="planning.themes"),
    Route("/pro/types-d-atelier", save, methods=["POST"], name="planning.themes"),
    Route(
        "/pro/types-d-atelier/habituels",
        add_usual,
        methods=["POST"],
        name="planning.themes_add_usual",
    ),
    Route("/pro/types-d-atelier/{theme_id:id}", theme_page, methods=["GET"], name="planning.theme"),
    Route("/pro/types-d-atelier/{theme_id:id}", save, methods=["POST"], name="planning.theme"),
]
