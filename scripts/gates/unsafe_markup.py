"""Unsafe markup: no `<script>`, `<iframe>`, `<object>` (and kin), `on*=` event
handlers or `javascript:` URLs in pages or diagrams, so a pull request cannot put
script on the published site."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from content.diagram_sources import all_diagrams
from content.html_scan import HtmlElement, html_elements
from content.markdown_tokens import walk

from gates.finding import Finding

# Elements that run or embed active content, or redirect the page.
ACTIVE_TAGS = frozenset(
    {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link"}
)
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"})
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")


def _is_script_url(url: str) -> bool:
    squashed = "".join(url.split()).lower()
    return squashed.startswith(SCRIPT_SCHEMES)


def element_problems(element: HtmlElement) -> Iterator[str]:
    if element.tag in ACTIVE_TAGS:
        yield f"raw <{element.tag}> element"
    for name, value in element.attrs:
        if name.startswith("on"):
            yield f"event handler attribute {name}= on <{element.tag}>"
        elif name in URL_ATTRIBUTES and value and _is_script_url(value):
            yield f"script URL in {name}= on <{element.tag}>"


def _attr_list_handlers(text: str) -> Iterator[str]:
    """`on*=` keys inside `{ ... }` attribute lists, which attr_list turns into HTML attributes."""
    rest = text
    while "{" in rest:
        rest = rest[rest.index("{") + 1 :]
        inside = rest.split("}", 1)[0]
        for item in inside.replace(":", " ").split():
            name = item.split("=", 1)[0].lower()
            if "=" in item and name.startswith("on"):
                yield f"event handler attribute {name}= in an attribute list"


def unsafe_markup(page: Path) -> list[Finding]:
    findings = []
    for located in walk(page.read_text(encoding="utf-8")):
        token = located.token
        if token.type in ("html_block", "html_inline"):
            for element in html_elements(token.content):
                for problem in element_problems(element):
                    findings.append(Finding(page, located.line + element.line - 1, problem))
        elif token.type in ("link_open", "image"):
            url = str(token.attrGet("href") or token.attrGet("src") or "")
            if _is_script_url(url):
                findings.append(Finding(page, located.line, f"script URL in a link: {url[:40]}"))
        elif token.type == "text":
            findings.extend(Finding(page, located.line, p) for p in _attr_list_handlers(token.content))
    return findings


def unsafe_diagram_markup(root: Path) -> list[Finding]:
    findings = []
    for diagram in all_diagrams(root):
        for element in html_elements(diagram.source):
            for problem in element_problems(element):
                findings.append(Finding(diagram.path, diagram.first_line + element.line - 1, problem))
    return findings
