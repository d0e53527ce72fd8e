"""Image alt text: every image, Markdown or HTML, has some."""

from __future__ import annotations

from pathlib import Path

from content.html_scan import html_elements
from content.markdown_tokens import walk

from gates.finding import Finding


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
