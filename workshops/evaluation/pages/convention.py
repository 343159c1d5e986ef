"""The evaluation pages of a convention: the figures with charts, and their exports."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from workshops.evaluation import exports, signoff
from workshops.evaluation.charts import bar_chart
from workshops.evaluation.figures import (
    Evaluation,
    PeriodChoice,
    choose_period,
    compared_with_previous,
    evaluate,
)
from workshops.evaluation.pages.guards import EvaluationAccess, evaluation_for
from workshops.evaluation.scope import convention_scope
from workshops.evaluation.tables import Table, build_tables, without_comparison
from workshops.kernel import urls
from workshops.kernel.clock import local_today, utc_now
from workshops.kernel.validation import Invalid
from workshops.web.auth import actor_of
from workshops.web.forms import SubmittedForm, read_form
from workshops.web.templating import render

SIGN_FIELDS = {"annee": 10, "comment": signoff.COMMENT_MAX}


def _choice(request: Request, access: EvaluationAccess) -> PeriodChoice:
    return choose_period(
        starts_on=access.convention.starts_on,
        mode=request.query_params.get("periode", "")[:20],
        year=request.query_params.get("annee", "")[:10],
        today=local_today(request.app.state.settings.zone),
    )


async def _evaluation(
    request: Request, access: EvaluationAccess, choice: PeriodChoice
) -> Evaluation:
    return await evaluate(
        scope=convention_scope(access.convention.id, access.convention.pmi_id),
        period=choice.period,
        zone=request.app.state.settings.zone,
        now=utc_now(),
    )


def _tables(evaluation: Evaluation, access: EvaluationAccess) -> list[Table]:
    labels = (evaluation.period.label, evaluation.previous_period.label)
    tables = build_tables(evaluation.current, evaluation.previous, labels)
    if not compared_with_previous(evaluation.period, access.convention.starts_on):
        return without_comparison(tables)
    return tables


async def evaluation_page(request: Request) -> Response:
    access = await evaluation_for(request)
    choice = _choice(request, access)
    form = SubmittedForm(values={})
    if choice.error:
        form.errors["annee"] = choice.error
    evaluation = await _evaluation(request, access, choice)
    return await _page(request, access, choice, evaluation, form=form)


async def _page(
    request: Request,
    access: EvaluationAccess,
    choice: PeriodChoice,
    evaluation: Evaluation,
    *,
    form: SubmittedForm,
    status_code: int = 200,
) -> Response:
    tables = _tables(evaluation, access)
    record = None
    if choice.mode == "convention":
        record = await signoff.get_record(convention=access.convention, year=choice.year)
    today = local_today(request.app.state.settings.zone)
    return render(
        request,
        "evaluation/evaluation.html",
        {
            "convention": access.convention,
            "choice": choice,
            "tables": tables,
            "charts": {table.key: bar_chart(table) for table in tables if table.chart},
            "record": record,
            "party": access.party if choice.mode == "convention" else "",
            "changes": signoff.changed_figures(record, evaluation.current),
            "compared": compared_with_previous(evaluation.period, access.convention.starts_on),
            "previous_period": evaluation.previous_period,
            # The sign-off is offered once the period is over, and says from when before.
            "signable": signoff.signable(choice.period.last_day, today),
            "signable_from": signoff.signable_from(choice.period.last_day),
            "form": form,
        },
        status_code=status_code,
    )


async def evaluation_sign(request: Request) -> Response:
    access = await evaluation_for(request)
    form = await read_form(request, SIGN_FIELDS)
    choice = choose_period(
        starts_on=access.convention.starts_on,
        mode="convention",
        year=form["annee"],
        today=local_today(request.app.state.settings.zone),
    )
    evaluation = await _evaluation(request, access, choice)
    if not form.errors and not choice.error:
        try:
            await signoff.sign_evaluation(
                actor=actor_of(request, access.staff),
                convention=access.convention,
                year=choice.year,
                last_day=choice.period.last_day,
                party=access.party,
                comment=form["comment"],
                figures=evaluation.current,
                now=utc_now(),
                today=local_today(request.app.state.settings.zone),
                settings=request.app.state.settings,
            )
        except Invalid as invalid:
            form.errors.update(invalid.errors)
        else:
            url = urls.path("evaluation.convention", convention_id=access.convention.id)
            url += f"?annee={choice.year}"
            return RedirectResponse(url, status_code=303)
    if choice.error:
        form.errors["annee"] = choice.error
    return await _page(request, access, choice, evaluation, form=form, status_code=422)


def _file_name(access: EvaluationAccess, choice: PeriodChoice, extension: str) -> str:
    return f"bilan-convention-{access.convention.id}-{choice.mode}-{choice.year}.{extension}"


async def evaluation_xlsx(request: Request) -> Response:
    access = await evaluation_for(request)
    choice = _choice(request, access)
    tables = _tables(await _evaluation(request, access, choice), access)
    content = exports.to_xlsx(tables, title=f"Bilan {access.convention.partner.name}")
    name = _file_name(access, choice, "xlsx")
    return Response(
        content,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


async def evaluation_csv(request: Request) -> Response:
    access = await evaluation_for(request)
    choice = _choice(request, access)
    tables = _tables(await _evaluation(request, access, choice), access)
    name = _file_name(access, choice, "csv")
    return Response(
        exports.to_csv(tables),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


routes = [
    Route(
        "/pro/conventions/{convention_id:id}/bilan/signature",
        evaluation_sign,
        methods=["POST"],
        name="evaluation.sign",
    ),
    Route(
        "/pro/conventions/{convention_id:id}/bilan",
        evaluation_page,
        methods=["GET"],
        name="evaluation.convention",
    ),
    Route(
        "/pro/conventions/{convention_id:id}/bilan.xlsx",
        evaluation_xlsx,
        methods=["GET"],
        name="evaluation.convention_xlsx",
    ),
    Route(
        "/pro/conventions/{convention_id:id}/bilan.csv",
        evaluation_csv,
        methods=["GET"],
        name="evaluation.convention_csv",
    ),
]
