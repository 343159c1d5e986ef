"""Evaluations across conventions, for coordinators: one partner, one commune, or everything,
by calendar year (convention years differ from one convention to the next). Also the open-data
CSV, where small counts are hidden. "Everything" is everything of the coordinator's own PMI
organisations, never another PMI's (the rule is in `scope`)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from workshops.accounts import Organisation, Permission, Staff
from workshops.evaluation import exports
from workshops.evaluation.charts import bar_chart
from workshops.evaluation.figures import PeriodChoice, choose_period, evaluate
from workshops.evaluation.opendata import open_tables
from workshops.evaluation.scope import Scope, ScopeKind
from workshops.evaluation.tables import Table, build_tables
from workshops.kernel.clock import local_today, utc_now
from workshops.kernel.communes import Commune
from workshops.kernel.i18n import _
from workshops.partners import Convention
from workshops.web.auth import require_permission
from workshops.web.communes import CODE_FIELD, OTHER, read_commune, shown_proposals
from workshops.web.forms import SubmittedForm
from workshops.web.templating import render

SCOPES = {"tout": ScopeKind.ALL, "partenaire": ScopeKind.PARTNER, "commune": ScopeKind.COMMUNE}


@dataclass(frozen=True)
class OverviewQuery:
    scope: Scope
    choice: PeriodChoice
    form: SubmittedForm
    # The official communes shown under the commune field (see `web.communes`).
    proposals: list[Commune]


async def _partners(staff: Staff) -> list[tuple[str, str]]:
    """The partners of conventions of the coordinator's PMI, as choices."""
    pmi_ids = staff.organisation_ids(Permission.EVALUATE_ALL_PARTNERS)
    partner_ids = await Convention.filter(pmi_id__in=pmi_ids).values_list("partner_id", flat=True)
    partners = await Organisation.filter(id__in=set(partner_ids)).order_by("name")
    return [(str(partner.id), partner.name) for partner in partners]


def _read(request: Request, staff: Staff, partners: list[tuple[str, str]]) -> OverviewQuery:
    params = request.query_params
    values = {
        "portee": params.get("portee", "tout")[:20],
        "partenaire": params.get("partenaire", "")[:12],
        "commune": params.get("commune", "")[:100].strip(),
        CODE_FIELD: params.get(CODE_FIELD, "")[:5],
        "annee": params.get("annee", "")[:10],
    }
    form = SubmittedForm(values=values)
    kind = SCOPES.get(values["portee"], ScopeKind.ALL)
    proposals: list[Commune] = []
    # Only the work of the member's own PMI organisations (the rule is in `scope`).
    organisations = frozenset(staff.organisation_ids(Permission.EVALUATE_ALL_PARTNERS))
    scope = Scope(ScopeKind.ALL, organisations=organisations)
    if kind is ScopeKind.PARTNER:
        if values["partenaire"] in dict(partners):
            scope = replace(scope, kind=kind, partner_id=int(values["partenaire"]))
        else:
            form.errors["partenaire"] = _("Choisissez un partenaire dans la liste.")
    elif kind is ScopeKind.COMMUNE:
        # From the official list, as a family chooses theirs (`web.communes`): the scope
        # holds its INSEE code, or the name as typed for « Hors de France ou autre ».
        missing = _("Indiquez une commune.")
        commune = read_commune(form, missing=missing, missing_other=missing)
        if commune is not None:
            scope = replace(scope, kind=kind, commune=commune.code or commune.name)
            form.values.update({"commune": commune.name, CODE_FIELD: commune.code or OTHER})
        proposals = shown_proposals(form)
    choice = choose_period(
        starts_on=local_today(request.app.state.settings.zone),
        mode="civile",
        year=values["annee"],
        today=local_today(request.app.state.settings.zone),
    )
    if choice.error:
        form.errors["annee"] = choice.error
    form.values["annee"] = str(choice.year)
    return OverviewQuery(scope, choice, form, proposals)


async def _tables(request: Request, asked: OverviewQuery) -> list[Table]:
    evaluation = await evaluate(
        scope=asked.scope,
        period=asked.choice.period,
        zone=request.app.state.settings.zone,
        now=utc_now(),
    )
    labels = (evaluation.period.label, evaluation.previous_period.label)
    return build_tables(evaluation.current, evaluation.previous, labels)


async def overview_page(request: Request) -> Response:
    staff = await require_permission(request, Permission.EVALUATE_ALL_PARTNERS)
    partners = await _partners(staff)
    asked = _read(request, staff, partners)
    tables = await _tables(request, asked)
    return render(
        request,
        "evaluation/overview.html",
        {
            "form": asked.form,
            "commune_proposals": asked.proposals,
            "partners": partners,
            "query": request.url.query,
            "tables": tables,
            "charts": {table.key: bar_chart(table) for table in tables if table.chart},
        },
    )


def _download(content: bytes, media_type: str, name: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


async def overview_xlsx(request: Request) -> Response:
    staff = await require_permission(request, Permission.EVALUATE_ALL_PARTNERS)
    asked = _read(request, staff, await _partners(staff))
    content = exports.to_xlsx(await _tables(request, asked), title=_("Bilan des ateliers"))
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(content, media, f"bilan-{asked.choice.year}.xlsx")


async def overview_csv(request: Request) -> Response:
    staff = await require_permission(request, Permission.EVALUATE_ALL_PARTNERS)
    asked = _read(request, staff, await _partners(staff))
    content = exports.to_csv(await _tables(request, asked))
    return _download(content, "text/csv; charset=utf-8", f"bilan-{asked.choice.year}.csv")


async def overview_open_data(request: Request) -> Response:
    staff = await require_permission(request, Permission.EVALUATE_ALL_PARTNERS)
    asked = _read(request, staff, await _partners(staff))
    content = exports.to_csv(open_tables(await _tables(request, asked)))
    name = f"bilan-{asked.choice.year}-donnees-ouvertes.csv"
    return _download(content, "text/csv; charset=utf-8", name)


routes = [
    Route("/pro/bilans", overview_page, methods=["GET"], name="evaluation.overview"),
    Route("/pro/bilans.xlsx", overview_xlsx, methods=["GET"], name="evaluation.overview_xlsx"),
    Route("/pro/bilans.csv", overview_csv, methods=["GET"], name="evaluation.overview_csv"),
    Route(
        "/pro/bilans/donnees-ouvertes.csv",
        overview_open_data,
        methods=["GET"],
        name="evaluation.open_data_csv",
    ),
]
