"""Sourcing: a reader can tell fact from advice and check every note's sources.

Two rules of the content standard (CONTRIBUTING, "The content standard"):

- rule of thumb: advice is shown in a `rule-of-thumb` admonition whose title says
  who gives it ("Rule of thumb, from <who> (<where>)") and whose body says, in a
  paragraph that starts with **When it does not hold:**, where the advice fails;
- primary sources: a note's `## References` section opens with
  `### Primary sources`, a list of at least one source, before any other reading.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from content.markdown_tokens import LocatedToken, walk
from content.site_pages import is_note_path

from gates.finding import Finding

RULE_OF_THUMB = "rule-of-thumb"
ATTRIBUTION = "Rule of thumb, from "
LIMIT_MARK = "When it does not hold:"
REFERENCES = "References"
PRIMARY_SOURCES = "Primary sources"
# The reading list is itself a list of sources, grouped by kind, not a note
# that makes claims: it has no References section to check.
LIST_PAGES = frozenset({"practice/reading-list.md"})


def _admonition_body(tokens: list[LocatedToken], opening: int) -> list[LocatedToken]:
    """The tokens inside the admonition opened at `opening`, nested admonitions included."""
    depth = 0
    for index in range(opening, len(tokens)):
        kind = tokens[index].token.type
        depth += {"admonition_open": 1, "admonition_close": -1}.get(kind, 0)
        if depth == 0:
            return tokens[opening + 1 : index]
    return tokens[opening + 1 :]


def _says_where_it_fails(body: list[LocatedToken]) -> bool:
    """True if a paragraph of the body starts with **When it does not hold:**."""
    return any(
        located.token.type == "inline" and located.token.content.startswith(f"**{LIMIT_MARK}**")
        for located in body
    )


def rules_of_thumb(page: Path) -> list[Finding]:
    tokens = list(walk(page.read_text(encoding="utf-8")))
    findings: list[Finding] = []
    for index, located in enumerate(tokens):
        token = located.token
        if token.type != "admonition_open" or token.meta.get("tag") != RULE_OF_THUMB:
            continue
        title = token.content.strip()
        who = title.removeprefix(ATTRIBUTION).strip()
        if not title.startswith(ATTRIBUTION) or not who:
            findings.append(
                Finding(
                    page,
                    located.line,
                    f'rule of thumb without attribution: title it "{ATTRIBUTION}<who> (<where>)", '
                    f"not {title!r}",
                )
            )
        if not _says_where_it_fails(_admonition_body(tokens, index)):
            findings.append(
                Finding(
                    page,
                    located.line,
                    f"rule of thumb that never says when it fails: end it with a paragraph "
                    f"that starts **{LIMIT_MARK}**",
                )
            )
    return findings


def _headings(tokens: list[LocatedToken]) -> Iterator[tuple[int, str, str]]:
    """(index, tag, text) of every heading."""
    for index, located in enumerate(tokens[:-1]):
        if located.token.type == "heading_open":
            yield index, located.token.tag, tokens[index + 1].token.content.strip()


def _docs_relative(page: Path) -> str | None:
    parts = page.resolve().parts
    if "docs" not in parts:
        return None
    return "/".join(parts[len(parts) - parts[::-1].index("docs") :])


def primary_sources(page: Path) -> list[Finding]:
    relative = _docs_relative(page)
    # Notes live in section folders; the home page, glossary, tags and section
    # index pages are not notes.
    if relative is None or not is_note_path(relative) or relative in LIST_PAGES:
        return []
    tokens = list(walk(page.read_text(encoding="utf-8")))
    headings = list(_headings(tokens))
    references = [(index, tag) for index, tag, text in headings if tag == "h2" and text == REFERENCES]
    if not references:
        return [Finding(page, 1, f"no `## {REFERENCES}` section: every note lists its sources")]
    start, _ = references[0]
    following = [heading for heading in headings if heading[0] > start]
    first = following[0] if following else None
    line = tokens[start].line
    if first is None or first[1] != "h3" or first[2] != PRIMARY_SOURCES:
        return [Finding(page, line, f"`## {REFERENCES}` must open with `### {PRIMARY_SOURCES}`")]
    closing = next(
        index for index in range(first[0], len(tokens)) if tokens[index].token.type == "heading_close"
    )
    after = tokens[closing + 1] if closing + 1 < len(tokens) else None
    if after is None or after.token.type != "bullet_list_open":
        return [Finding(page, tokens[first[0]].line, f"`### {PRIMARY_SOURCES}` has no list of sources")]
    return []
