"""Browser journeys: a real server, Debian's Chromium driven by Playwright, axe-core checks.

The server is `workshops serve` in a subprocess on a free port, with its own data folder, the
migrations and the demo loaded, exactly as `make run` does, on the suite's clock
(`tests/pinned_cli.py`). Every HTML answer it gives a journey, and every e-mail a journey
reads, is checked as the test clients' are (`tests/browser/html_responses.py`). Chromium is
Debian's (`/usr/bin/chromium`, installed by `.ci/run`); Playwright downloads no browser.
Without Chromium the journeys are skipped with a message, unless `REQUIRE_BROWSER=1` (as in
CI), where its absence fails the run. A failed journey leaves a screenshot in `test-results/`.
Once every journey has run (`after_journeys`), the distinct pages and fragments they received
(`received_html`) go through the W3C Nu checker (`test_nu_checker.py`) and are laid out again at
375 and 320 px (`test_reflow.py`).
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    Locator,
    Page,
    Playwright,
    ViewportSize,
    expect,
    sync_playwright,
)

from tests.browser.html_responses import HtmlResponses, ReceivedHtml
from tests.clock import workshops_command
from tests.html_check import assert_plain_text, assert_valid_html
from workshops.demo import DEMO_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
AXE_SOURCE = Path(__file__).with_name("vendor") / "axe-4.14.1.min.js"
PROJECT = Path(__file__).resolve().parents[2]
RESULTS = PROJECT / "test-results"
PHONE: ViewportSize = {"width": 375, "height": 812}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class LiveServer:
    url: str
    data_dir: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _command(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        workshops_command(*args),
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("serveur")
    _command(data_dir, "migrate")
    _command(data_dir, "demo")
    port = _free_port()
    env = {**os.environ, "DATA_DIR": str(data_dir), "BASE_URL": f"http://127.0.0.1:{port}"}
    env.pop("DATABASE_URL", None)
    log = (data_dir / "server.log").open("w")
    process = subprocess.Popen(
        workshops_command("serve", "--port", str(port)),
        cwd=PROJECT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start: " + (data_dir / "server.log").read_text())
        yield LiveServer(url=url, data_dir=data_dir)
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def typed_personal_data() -> set[str]:
    """What journeys type as a family (names, e-mails, phones, links): the server log is read
    for them at the end of the session."""
    return set()


@pytest.fixture(scope="session")
def received_html() -> ReceivedHtml:
    """Every distinct page and htmx fragment the journeys received, for the checks that run
    after them (the Nu checker, the reflow at 320 px)."""
    return ReceivedHtml()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `after_journeys` run once every journey has written to the server log."""
    items.sort(key=lambda item: item.get_closest_marker("after_journeys") is not None)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Module-scoped: Playwright's synchronous API keeps an event loop running in this thread
    while it is open, which the async tests of other modules must not find."""
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(
                "REQUIRE_BROWSER=1 but /usr/bin/chromium is missing (apt-get install chromium)"
            )
        pytest.skip("Debian's Chromium is not installed: apt-get install chromium")
    with sync_playwright() as playwright:
        yield _launch(playwright)


def _launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _page(browser: Browser, request: pytest.FixtureRequest, *, javascript: bool) -> Iterator[Page]:
    context = browser.new_context(
        viewport=PHONE, java_script_enabled=javascript, locale="fr-FR", timezone_id="Europe/Paris"
    )
    received: ReceivedHtml = request.getfixturevalue("received_html")
    responses = HtmlResponses(context, received, javascript=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / f"{request.node.name}.png"), full_page=True)
    try:
        responses.assert_sound(page)
    finally:
        context.close()


@pytest.fixture(params=[True, False], ids=["avec-javascript", "sans-javascript"])
def javascript(request: pytest.FixtureRequest) -> bool:
    """Each journey runs twice: with JavaScript, and without it (plain links and forms)."""
    return bool(request.param)


@pytest.fixture
def page(browser: Browser, javascript: bool, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A phone-sized page."""
    yield from _page(browser, request, javascript=javascript)


def assert_accessible(page: Page, *, javascript: bool) -> None:
    """axe-core on the current page: no serious or critical violation.

    axe runs as JavaScript inside the page; in a journey without JavaScript the same pages are
    checked by the twin journey that has it.
    """
    if not javascript:
        return
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => v.id + " (" + v.impact + "): "
                    + v.nodes.map(n => n.target.join(" ")).join(", "));
        }"""
    )
    assert violations == [], f"{page.url}: {violations}"


def sign_in(page: Page, live_server: LiveServer, email: str) -> None:
    """Sign in to the staff area as a demo account, by the login form."""
    page.goto(live_server.url + "/pro/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def tab_to(page: Page, target: Locator, *, limit: int = 80) -> None:
    """Press Tab until `target` holds the focus, as a keyboard user would (bounded)."""
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} never received the focus after {limit} presses of Tab")


def choose_with_keyboard(page: Page, select: Locator, label: str, *, limit: int = 60) -> None:
    """Move through a focused list with the arrow keys until `label` is chosen (bounded)."""
    tab_to(page, select)
    page.keyboard.press("Home")
    for _ in range(limit):
        chosen = select.evaluate("element => element.selectedOptions[0].textContent.trim()")
        if chosen == label:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{label!r} is not among the choices of {select}")


def wait_for_mail(mail_dir: Path, recipient: str, *, seconds: float = 15) -> str:
    """The plain text of the `.eml` the embedded worker writes for `recipient`, polled until a
    deadline (the worker sends within seconds, not at once). Its HTML part is checked as the
    pages are (`tests/html_check.py`)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for path in sorted(mail_dir.glob("*.eml")) if mail_dir.exists() else []:
            message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
            if message["To"] == recipient:
                assert isinstance(message, EmailMessage)
                body = message.get_body(preferencelist=("plain",))
                assert body is not None, f"{path} has no plain text part"
                html = message.get_body(preferencelist=("html",))
                assert html is not None, f"{path} has no HTML part"
                assert_valid_html(str(html.get_content()), source=f"{path.name} (HTML)")
                assert_plain_text(str(body.get_content()), source=f"{path.name} (text)")
                return str(body.get_content())
        time.sleep(0.1)
    raise AssertionError(f"no message to {recipient} in {mail_dir} after {seconds} s")
