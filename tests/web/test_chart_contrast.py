"""The evaluation charts' bars are told apart by colour: each series at least 3:1 against the
page and against the other series (WCAG 1.4.11, RGAA 3.3), on screen and on paper. The colours
are read from the stylesheet as the browser would apply them (the last rule wins)."""

from __future__ import annotations

import re

import pytest

from workshops.kernel.settings import PROJECT_ROOT

STYLESHEET = PROJECT_ROOT / "static" / "css" / "site.css"
CHART = PROJECT_ROOT / "templates" / "evaluation" / "_chart.html"
SERIES = ("bar-current", "bar-previous")
MINIMUM = 3.0


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of #rgb or #rrggbb."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(2 * digit for digit in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _rules(css: str, media: str) -> list[tuple[str, str]]:
    """(selector, declarations) in source order, for a `screen` or `print` rendering: rules
    outside any @media, plus those of `@media print` when printing."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    rules: list[tuple[str, str]] = []
    position = 0
    for block in re.finditer(r"@media([^{]*)\{((?:[^{}]*\{[^{}]*\})*)\s*\}", css):
        rules += re.findall(r"([^{}]+)\{([^{}]*)\}", css[position : block.start()])
        if media in block.group(1):
            rules += re.findall(r"([^{}]+)\{([^{}]*)\}", block.group(2))
        position = block.end()
    rules += re.findall(r"([^{}]+)\{([^{}]*)\}", css[position:])
    return [(selector.strip(), body) for selector, body in rules]


def _resolve(value: str, variables: dict[str, str]) -> str:
    found = re.fullmatch(r"var\((--[\w-]+)\)", value)
    return variables[found.group(1)] if found else value


def effective_colours(css: str, media: str) -> dict[str, str]:
    """The fill of each series and the page's background, as the browser applies them."""
    rules = _rules(css, media)
    variables = dict(re.findall(r"(--[\w-]+)\s*:\s*(#[0-9a-fA-F]{3,6})", css.split("}", 1)[0]))
    colours: dict[str, str] = {}
    for selector, body in rules:
        for name in SERIES:
            if any(part.strip() == f".chart .{name}" for part in selector.split(",")):
                fill = re.search(r"fill\s*:\s*([^;]+)", body)
                if fill:
                    colours[name] = _resolve(fill.group(1).strip(), variables)
        if selector == "body":
            background = re.search(r"background\s*:\s*([^;]+)", body)
            if background:
                colours["background"] = _resolve(background.group(1).strip(), variables)
    return colours


def test_the_contrast_ratio_is_computed_as_wcag_says() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#fff", "#ffffff") == pytest.approx(1)
    # The grey "previous year" bars of before: 2.5:1, too pale.
    assert contrast("#9aa5b1", "#ffffff") == pytest.approx(2.5, abs=0.01)


@pytest.mark.parametrize("media", ["screen", "print"])
def test_every_series_stands_out_from_the_page_and_from_the_other(media: str) -> None:
    colours = effective_colours(STYLESHEET.read_text(encoding="utf-8"), media)
    assert set(colours) == {*SERIES, "background"}, colours
    current, previous = colours["bar-current"], colours["bar-previous"]
    assert contrast(current, colours["background"]) >= MINIMUM
    assert contrast(previous, colours["background"]) >= MINIMUM
    assert contrast(current, previous) >= MINIMUM


def test_the_chart_draws_its_bars_only_with_the_checked_classes() -> None:
    """A colour written in the template itself would escape the check above."""
    template = CHART.read_text(encoding="utf-8")
    assert "fill=" not in template and "style=" not in template
    classes = set(re.findall(r"bar-[a-z]+", template))
    assert classes == set(SERIES)
