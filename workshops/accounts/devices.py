"""A device as its owner recognises it, from what its browser says (« Firefox sous Windows »).

The profile lists a person's open sessions: the raw User-Agent string is long, wraps over two
lines and reads like two devices. Only the browser's and the system's names are kept; the order
of the checks matters, because Edge and Opera also call themselves Chrome, and Chrome also calls
itself Safari.
"""

from __future__ import annotations

from workshops.kernel.i18n import _

_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def _first(user_agent: str, names: tuple[tuple[str, str], ...]) -> str:
    return next((name for marker, name in names if marker in user_agent), "")


def describe_device(user_agent: str) -> str:
    browser, system = _first(user_agent, _BROWSERS), _first(user_agent, _SYSTEMS)
    if browser and system:
        return _("%(browser)s sous %(system)s", browser=browser, system=system)
    return browser or system or _("Navigateur inconnu")
