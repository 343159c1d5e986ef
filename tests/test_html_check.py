"""The HTML checker every test client goes through: it catches what a browser silently repairs."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route

from tests.html_check import (
    CHECK_HTML,
    assert_plain_text,
    assert_valid_html,
    html_problems,
    text_problems,
)


def page(body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Ateliers</title>'
        f"</head><body>{body}</body></html>"
    )


SOUND_PAGE = page(
    '<form><label for="champ-nom">Nom</label>'
    '<input id="champ-nom" name="nom" value="L&#39;heure d&#39;éveil &amp; &lt;jeux&gt;"'
    ' required maxlength="150"></form>'
    "<p>Parents &amp; enfants</p>"
    '<svg viewBox="0 0 10 10"><text x="5" y="5" text-anchor="middle">1</text></svg>'
    "<script>if (a && b) { go('&amp;'); }</script>"
)


def test_a_sound_page_and_a_sound_fragment_pass() -> None:
    assert html_problems(SOUND_PAGE) == []
    assert (
        html_problems('<div id="liste"><p>Un atelier</p></div>\n<p>Deux</p>', fragment=True) == []
    )


@pytest.mark.parametrize(
    ("broken", "reported"),
    [
        ('<input name="nom" value=""autocomplete="name"required>', "after attribute value"),
        ("<div><p>Un atelier</span></p></div>", "Unexpected end tag (span)"),
        ("<main><div>Un atelier</main>", "End tag (main) seen too early"),
        ('<input name="nom" name="prenom">', "duplicate attribute"),
        ('<input name="nom" requiredmaxlength="150">', "unknown attribute 'requiredmaxlength'"),
        ('<p id="aide">Un</p><p id="aide">Deux</p>', "duplicate id 'aide'"),
        ("<p>L&amp;#39;heure d&amp;#39;éveil</p>", "escaped twice: 'L&#39;heure d&#39;éveil'"),
        ("<p>Parents &amp;amp; enfants</p>", "escaped twice: 'Parents &amp; enfants'"),
        ("<p>&amp;lt;jeux&amp;gt;</p>", "escaped twice: '&lt;jeux&gt;'"),
        ('<input value="L&amp;#39;heure">', "escaped twice: 'L&#39;heure'"),
        ('<a href="/" hx-get="/semaine">Suivante</a>', "unknown attribute 'hx-get'"),
    ],
    ids=[
        "attributes-without-space",
        "stray-end-tag",
        "unclosed-tag",
        "duplicate-attribute",
        "boolean-attribute-glued-to-the-next",
        "duplicate-id",
        "apostrophe-escaped-twice",
        "ampersand-escaped-twice",
        "less-than-shown-as-entity",
        "attribute-escaped-twice",
        "htmx-attribute-without-data-prefix",
    ],
)
def test_what_a_browser_would_silently_repair_fails(broken: str, reported: str) -> None:
    with pytest.raises(AssertionError, match="not sound HTML") as failure:
        assert_valid_html(page(broken), source="GET /ateliers")

    assert reported.lower() in str(failure.value).lower()
    assert "GET /ateliers" in str(failure.value)


def test_an_error_summary_must_lead_to_fields_of_the_page_and_be_named_in_the_title() -> None:
    summary = (
        '<div class="error-summary" id="erreurs" tabindex="-1"><ul>'
        '<li><a href="#champ-nom">Indiquez votre nom.</a></li></ul></div>'
    )
    field = '<label for="champ-nom">Nom</label><input id="champ-nom" name="nom">'
    in_error = page(summary + field).replace("<title>Ateliers", "<title>Erreur : Ateliers")

    assert html_problems(in_error) == []
    assert html_problems(summary + field, fragment=True) == []
    assert html_problems(in_error.replace('id="champ-nom"', 'id="champ-prenom"')) == [
        "the error summary links to #champ-nom, which is not on the page"
    ]
    assert html_problems(page(summary + field)) == [
        "a page with an error summary has a title not starting with « Erreur : »"
    ]


def test_a_page_without_its_doctype_fails_but_the_same_markup_as_a_fragment_passes() -> None:
    markup = "<p>Un atelier</p>"

    assert any("doctype" in problem.lower() for problem in html_problems(markup))
    assert html_problems(markup, fragment=True) == []


def test_an_email_text_with_an_entity_fails_and_plain_punctuation_passes() -> None:
    assert text_problems("L'heure d'éveil & <jeux>, 3 < 4") == []

    with pytest.raises(AssertionError, match="escaped twice"):
        assert_plain_text("L&#39;heure d&#39;éveil", source="signup_confirmed")


async def _broken(request: Request) -> HTMLResponse:
    return HTMLResponse(page('<input value=""required>'))


async def _fragment(request: Request) -> HTMLResponse:
    return HTMLResponse("<li>Un atelier</li>")


async def _text(request: Request) -> PlainTextResponse:
    return PlainTextResponse("<p>pas du HTML</span>")


CHECKED_APP = Starlette(
    routes=[Route("/casse", _broken), Route("/fragment", _fragment), Route("/texte", _text)]
)


@pytest.fixture
async def checked_client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=CHECKED_APP),
        base_url="http://testserver",
        event_hooks=CHECK_HTML,
    ) as client:
        yield client


async def test_the_client_hook_fails_a_request_answered_with_broken_html(
    checked_client: httpx.AsyncClient,
) -> None:
    with pytest.raises(AssertionError, match=r"GET http://testserver/casse \(200\)"):
        await checked_client.get("/casse")


async def test_the_client_hook_reads_htmx_answers_as_fragments_and_ignores_other_types(
    checked_client: httpx.AsyncClient,
) -> None:
    fragment = await checked_client.get("/fragment", headers={"HX-Request": "true"})
    text = await checked_client.get("/texte")
    with pytest.raises(AssertionError, match="Expected DOCTYPE"):
        await checked_client.get("/fragment")

    assert fragment.text == "<li>Un atelier</li>"
    assert text.text == "<p>pas du HTML</span>"


def test_an_htmx_fragment_may_start_with_the_pages_title_in_a_head_of_its_own() -> None:
    row = '<tr id="presence-1"><th scope="row">Léa</th><td data-hx-post="/p">Présent</td></tr>'
    titled = "<head><title>Présences · Ateliers</title></head>\n" + row

    assert html_problems(titled, fragment=True) == []
    assert html_problems("<head><title> </title></head>" + row, fragment=True) == [
        "the fragment's <title> is empty"
    ]
    assert html_problems("<p>Un</p><head><title>T</title></head>", fragment=True) != []
