"""The content gates: checks a reviewer would otherwise make by eye, each finding with file and line.

- unsafe markup: no `<script>`, `<iframe>`, `<object>` (and kin), `on*=` event
  handlers or `javascript:` URLs in pages or diagrams, so a pull request cannot
  put script on the published site;
- image alt text: every image has some;
- diagram usage: every `.mmd` in diagrams/ is included by a page, and every
  included diagram exists;
- orphan pages: every page under docs/ is in mkdocs.yml's nav;
- title heading: a page's H1 is its front matter title (search, the browser tab
  and the nav show the title; the reader sees the H1);
- template leftovers: no placeholder sentence of the note template
  (scripts/templates/note.md) is left in a page;
- acronyms: every acronym in a page's prose has an abbreviation line, and every
  abbreviation has a glossary entry anchored `#<lowercase>`.

Usage: python scripts/content_gates.py [--root DIR]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from acronyms import ABBREVIATIONS, GLOSSARY, acronyms_in, glossary_anchors, read_abbreviations
from diagram_sources import all_diagrams, diagram_includes
from front_matter import FrontMatterError, read_front_matter
from html_scan import HtmlElement, html_elements
from markdown_tokens import walk
from site_config import load_config, nav_entries
from site_pages import docs_path, site_pages

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTE_TEMPLATE = Path(__file__).resolve().parent / "templates" / "note.md"
# Elements that run or embed active content, or redirect the page.
ACTIVE_TAGS = frozenset(
    {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link"}
)
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"})
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


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


def images_without_alt(page: Path) -> list[Finding]:
    findings = []
    for located in walk(page.read_text(encoding="utf-8")):
        token = located.token
        if token.type == "image" and not token.content.strip():
            findings.append(Finding(page, located.line, f"image {token.attrGet('src')} has no alt text"))
        elif token.type in ("html_block", "html_inline"):
            for element in html_elements(token.content):
                if element.tag == "img" and not (element.attr("alt") or "").strip():
                    line = located.line + element.line - 1
                    findings.append(Finding(page, line, f"<img> {element.attr('src')} has no alt text"))
    return findings


def title_heading(page: Path) -> list[Finding]:
    text = page.read_text(encoding="utf-8")
    try:
        front = read_front_matter(text)
    except FrontMatterError:
        return []  # the front matter check reports it
    title = front.data.get("title") if front else None
    if not isinstance(title, str):
        return []
    located = list(walk(text))
    for opening, inline in itertools.pairwise(located):
        if opening.token.type == "heading_open" and opening.token.tag == "h1":
            heading = inline.token.content.strip()
            if heading != title.strip():
                return [Finding(page, opening.line, f"H1 {heading!r} differs from the title {title!r}")]
            return []
    return [Finding(page, front.first_line if front else 1, f"no H1: start the page with `# {title}`")]


def _prose(text: str) -> Iterator[tuple[int, str]]:
    """(line, text) of each paragraph, list item and table body cell: inlines outside headings."""
    skipping = False
    for located in walk(text):
        kind = located.token.type
        if kind in ("heading_open", "heading_close", "thead_open", "thead_close"):
            skipping = kind.endswith("_open")
        elif kind == "inline" and not skipping and located.token.content.strip():
            yield located.line, located.token.content.strip()


def template_leftovers(page: Path) -> list[Finding]:
    placeholders = {content for _, content in _prose(NOTE_TEMPLATE.read_text(encoding="utf-8"))}
    return [
        Finding(page, line, f"placeholder from the note template left in: {content[:60]!r}")
        for line, content in _prose(page.read_text(encoding="utf-8"))
        if content in placeholders
    ]


def diagram_usage(root: Path) -> list[Finding]:
    findings = []
    used: set[Path] = set()
    for page in site_pages(root):
        for include in diagram_includes(page):
            target = (root / include.target).resolve()
            used.add(target)
            if not target.is_file():
                findings.append(
                    Finding(page, include.line, f"included diagram {include.target} does not exist")
                )
    for diagram in sorted((root / "diagrams").glob("*.mmd")):
        if diagram.resolve() not in used:
            findings.append(Finding(diagram, 1, "diagram is not included by any page"))
    return findings


def orphan_pages(root: Path) -> list[Finding]:
    in_nav = {entry.path for entry in nav_entries(load_config(root))}
    return [
        Finding(page, 1, f"page is not in mkdocs.yml's nav (add `{docs_path(root, page)}` under its section)")
        for page in site_pages(root)
        if docs_path(root, page) not in in_nav
    ]


def undefined_acronyms(root: Path) -> list[Finding]:
    abbreviations = read_abbreviations(root / ABBREVIATIONS)
    defined = frozenset(a.acronym for a in abbreviations)
    anchors = glossary_anchors(root / GLOSSARY)
    findings = [
        Finding(
            root / ABBREVIATIONS, a.line, f"{a.acronym} has no glossary entry anchored #{a.acronym.lower()}"
        )
        for a in abbreviations
        if a.acronym.lower() not in anchors
    ]
    for page in site_pages(root):
        reported: set[str] = set()
        for located in walk(page.read_text(encoding="utf-8")):
            if located.token.type != "text" or located.in_autolink:
                continue
            for offset, acronym in acronyms_in(located.token.content, defined):
                if acronym not in defined and acronym not in reported:
                    # One finding per acronym and page: the first use is where the definition goes.
                    reported.add(acronym)
                    findings.append(
                        Finding(
                            page,
                            located.line + offset,
                            f"acronym {acronym} is not defined: add `*[{acronym}]: ...` to "
                            f"{ABBREVIATIONS} and a glossary entry `{acronym} {{ #{acronym.lower()} }}`",
                        )
                    )
    return findings


PAGE_GATES: dict[str, Callable[[Path], list[Finding]]] = {
    "unsafe markup": unsafe_markup,
    "image alt text": images_without_alt,
    "title heading": title_heading,
    "template leftovers": template_leftovers,
}
SITE_GATES: dict[str, Callable[[Path], list[Finding]]] = {
    "unsafe diagram markup": unsafe_diagram_markup,
    "diagram usage": diagram_usage,
    "orphan pages": orphan_pages,
    "acronyms": undefined_acronyms,
}


def run_gate(name: str, root: Path) -> list[Finding]:
    if name in PAGE_GATES:
        return [finding for page in site_pages(root) for finding in PAGE_GATES[name](page)]
    return SITE_GATES[name](root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the content gates over the pages and diagrams.")
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="repository root (default: %(default)s)")
    args = parser.parse_args(argv)
    failed = 0
    if not (args.root / "mkdocs.yml").is_file():
        print(f"content_gates: no mkdocs.yml in {args.root}", file=sys.stderr)
        return 2
    for name in [*PAGE_GATES, *SITE_GATES]:
        findings = run_gate(name, args.root)
        failed += len(findings)
        for finding in findings:
            print(f"{finding} [{name}]", file=sys.stderr)
        print(f"{name}: {'ok' if not findings else f'{len(findings)} problems'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
