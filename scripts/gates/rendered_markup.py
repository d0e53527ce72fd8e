"""Rendered markup: each page rendered as the site renders it (Python-Markdown,
mkdocs.yml's extensions, snippets and the appended includes), then read with an
HTML5 parser against the note allowlist (markup_policy.py).

This closes the gap between how a gate reads Markdown and how it renders: the
HTML checked is the HTML published. It also refuses markup characters where
Material's tooltips turn text back into HTML (`title` attributes from
abbreviations and link titles, and headings, which the table of contents shows),
and HTML in the Mermaid source that reaches a page, snippets included.

Each finding names the file and line where the offending text was written: the
page, one of docs/includes/, or a diagram.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from content.html_scan import html_elements
from content.rendered_page import PageRenderer
from content.site_pages import site_pages
from selectolax.lexbor import LexborHTMLParser, LexborNode

from gates.finding import Finding
from gates.markup_policy import Problem, content_problems
from gates.unsafe_markup import element_problems

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# What Material's tooltips would turn into elements (they set text as HTML).
TOOLTIP_MARKUP = ("<", ">")


# A heading is found by its words, not its markup: `<` may be written as `&lt;` or in code.
HEADING_NEEDLE = "#heading:"


def _alnum(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def tooltip_problems(body: LexborNode) -> Iterator[Problem]:
    for node in body.css("[title]"):
        title = node.attributes.get("title") or ""
        if any(char in title for char in TOOLTIP_MARKUP):
            yield Problem(
                f"markup character in the tooltip of <{node.tag}> (title={title[:40]!r}): "
                "Material shows tooltips as HTML; reword without < or >",
                title[:30],
            )
    for heading in body.css(", ".join(HEADINGS)):
        for permalink in heading.css("a.headerlink"):
            permalink.decompose()
        text = heading.text(deep=True).strip()
        if any(char in text for char in TOOLTIP_MARKUP):
            yield Problem(
                f"markup character in the heading {text[:40]!r}: the table of contents "
                "shows headings as HTML tooltips; reword without < or >",
                HEADING_NEEDLE + _alnum(text.split("<", 1)[0] or text),
            )


def diagram_problems(body: LexborNode) -> Iterator[Problem]:
    """HTML in the Mermaid source as it reaches the page, after snippets (nested ones too)."""
    for fence in body.css("pre.mermaid"):
        for element in html_elements(fence.text(deep=True)):
            for problem in element_problems(element):
                yield Problem(f"{problem} in a diagram", f"<{element.tag}")


def rendered_problems(html: str) -> list[Problem]:
    body = LexborHTMLParser(f"<body>{html}</body>").body
    if body is None:
        return []
    problems = [p for child in body.iter(include_text=False) for p in content_problems(child)]
    problems.extend(tooltip_problems(body))
    problems.extend(diagram_problems(body))
    return problems


def _matches(needle: str, line: str) -> bool:
    if needle.startswith(HEADING_NEEDLE):
        words = needle.removeprefix(HEADING_NEEDLE)
        return line.lstrip().startswith("#") and _alnum(line).startswith(words)
    return bool(needle) and needle.lower() in line.lower()


def _locate(needle: str, files: list[Path]) -> tuple[Path, int] | None:
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _matches(needle, line):
                return path, number
    return None


def rendered_markup(root: Path) -> list[Finding]:
    renderer = PageRenderer(root)
    shared = sorted((root / "docs/includes").glob("*.md")) + sorted((root / "diagrams").glob("*.mmd"))
    findings: dict[tuple[str, int, str], Finding] = {}
    for page in site_pages(root):
        for problem in rendered_problems(renderer.render(page.read_text(encoding="utf-8"))):
            path, line = _locate(problem.needle, [page, *shared]) or (page, 1)
            finding = Finding(path, line, problem.message)
            findings.setdefault((str(path), line, problem.message), finding)
    return list(findings.values())
