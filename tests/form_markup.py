"""Reading a page's forms as a screen reader would: the title, the error summary and where each of
its links leads, the label of a field, whether it is marked invalid or required."""

from __future__ import annotations

from xml.etree.ElementTree import Element

import html5lib


def parse(markup: str) -> Element:
    page: Element = html5lib.parse(markup, namespaceHTMLElements=False)
    return page


def text_of(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def title_of(page: Element) -> str:
    title = page.find(".//title")
    assert title is not None
    return text_of(title)


def by_id(page: Element, identifier: str) -> Element:
    found = [element for element in page.iter() if element.get("id") == identifier]
    assert len(found) == 1, f"{len(found)} elements have the id {identifier!r}"
    return found[0]


def label_of(page: Element, field: Element) -> str:
    labels = [label for label in page.iter("label") if label.get("for") == field.get("id")]
    assert len(labels) == 1, f"{len(labels)} labels for {field.get('id')!r}"
    return text_of(labels[0])


def summary_targets(page: Element) -> list[Element]:
    """The elements the error summary's links lead to (each must exist, once)."""
    summary = by_id(page, "erreurs")
    links = [link.get("href", "") for link in summary.iter("a")]
    assert links, "the error summary links to no field"
    assert all(link.startswith("#") for link in links), links
    return [by_id(page, link[1:]) for link in links]


def described_by(page: Element, field: Element) -> str:
    """The text of what `aria-describedby` points to."""
    return " ".join(
        text_of(by_id(page, part)) for part in field.get("aria-describedby", "").split()
    )
