"""Every page says what it is in its title: no two pages a member or a family reaches share one.

A screen reader reads the title first, and it names the tab and the history entry: « Modifier
l'atelier » three times, or « Réservation de salle » for every booking, leaves the user guessing
(RGAA 8.6). The demo is loaded, each demo account follows the links of the pages it sees, and
every title is compared.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from urllib.parse import urljoin, urlsplit

import httpx

from workshops.demo import ACCOUNTS, DEMO_PASSWORD, load_demo

_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_LINK = re.compile(r'<a [^>]*href="([^"#]+)')
# Files and feeds rather than pages, and a link that signs out.
_NOT_PAGES = re.compile(r"\.(csv|xlsx|ics|pdf)$|/agenda/|/export|/documents/\d+$|/static/")
_MAX_PAGES = 120


def _title(page: str) -> str:
    found = _TITLE.search(page)
    assert found is not None
    return " ".join(html.unescape(found.group(1)).split())


async def _titles_seen(client: httpx.AsyncClient, start: str) -> dict[str, str]:
    """The title of each page reached from `start` by following links (paths without query)."""
    titles: dict[str, str] = {}
    waiting = [start]
    while waiting and len(titles) < _MAX_PAGES:
        path = waiting.pop(0)
        if path in titles:
            continue
        response = await client.get(path)
        if response.status_code != 200 or "text/html" not in response.headers["content-type"]:
            titles[path] = ""
            continue
        titles[path] = _title(response.text)
        for href in _LINK.findall(response.text):
            target = urlsplit(urljoin(str(response.url), html.unescape(href)))
            new = target.path not in titles and target.path not in waiting
            if target.netloc == "testserver" and new and not _NOT_PAGES.search(target.path):
                waiting.append(target.path)
    return {path: title for path, title in titles.items() if title}


def _shared(titles: dict[str, str]) -> dict[str, list[str]]:
    by_title: defaultdict[str, list[str]] = defaultdict(list)
    for path, title in titles.items():
        by_title[title].append(path)
    return {title: paths for title, paths in by_title.items() if len(paths) > 1}


async def test_no_two_pages_of_a_family_or_of_a_member_share_a_title(
    client: httpx.AsyncClient,
) -> None:
    await load_demo()
    family = await _titles_seen(client, "/")
    assert len(family) > 5
    shared = {"famille": _shared(family)}
    for account in ACCOUNTS:
        client.cookies.clear()
        signed_in = await client.post(
            "/pro/connexion", data={"email": account.email, "password": DEMO_PASSWORD}
        )
        assert signed_in.status_code == 303
        seen = await _titles_seen(client, "/pro/")
        assert len(seen) > 5, account.email
        shared[account.email] = _shared(seen)
    assert {who: titles for who, titles in shared.items() if titles} == {}
