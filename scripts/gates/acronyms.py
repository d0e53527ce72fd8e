"""Acronyms: which words in prose are acronyms, and where the site defines them.

A word counts as an acronym when it has no lower-case letter, at least one
capital and at least two characters (API, 2PC, L7, HTTP), or when it is written
exactly as an abbreviation the site defines (gRPC, IoT). A trailing plural `s`
is dropped first (APIs is API). Camel-case names (OrderPlaced) are not acronyms.

Definitions live in two places that must agree: docs/includes/abbreviations.md
(`*[ACR]: Expansion`, the hover tooltips) and docs/glossary.md (a definition
list whose terms carry anchors, `ACID { #acid }`).

The gate (`undefined_acronyms`): every acronym in a page's prose has an
abbreviation line, and every abbreviation has a glossary entry anchored `#<lowercase>`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from content.markdown_tokens import page_parser, walk
from content.site_pages import site_pages

from gates.finding import Finding

ABBREVIATIONS = Path("docs/includes/abbreviations.md")
GLOSSARY = Path("docs/glossary.md")
# Upper-case words that are not abbreviations: HTTP methods and status words, and
# names whose owners style them in capitals. Keep this short; an acronym belongs in the glossary.
NOT_ACRONYMS = frozenset({"OK", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "NGINX", "N26"})


@dataclass(frozen=True)
class Abbreviation:
    acronym: str
    expansion: str
    line: int


def _words(text: str) -> Iterator[tuple[int, str]]:
    """(line offset, word) for each run of letters and digits in `text`."""
    for offset, line in enumerate(text.split("\n")):
        word = ""
        for char in [*line, " "]:
            if char.isascii() and char.isalnum():
                word += char
            elif word:
                yield offset, word
                word = ""


def _singular(word: str) -> str:
    stem = word[:-1]
    if word.endswith("s") and len(stem) >= 2 and not any(c.islower() for c in stem):
        return stem
    return word


def acronyms_in(text: str, defined: frozenset[str] = frozenset()) -> Iterator[tuple[int, str]]:
    """(line offset, acronym) for each acronym in a piece of prose."""
    for offset, word in _words(text):
        word = _singular(word)
        upper_case = len(word) >= 2 and not any(c.islower() for c in word) and any(c.isupper() for c in word)
        if word in defined or (upper_case and word not in NOT_ACRONYMS):
            yield offset, word


def read_abbreviations(path: Path) -> list[Abbreviation]:
    """The `*[ACR]: Expansion` lines of an abbreviations file (Python-Markdown's abbr syntax)."""
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.startswith("*[") or "]:" not in line:
            continue
        acronym, _, expansion = line[2:].partition("]:")
        found.append(Abbreviation(acronym, expansion.strip(), number))
    return found


def glossary_anchors(path: Path) -> dict[str, int]:
    """Each glossary term's anchor (the `{ #id }` after the term) and its line."""
    anchors: dict[str, int] = {}
    tokens = page_parser().parse(path.read_text(encoding="utf-8"))
    for previous, token in itertools.pairwise(tokens):
        if previous.type != "dt_open" or token.type != "inline" or token.map is None:
            continue
        term = token.content.strip()
        if not term.endswith("}") or "{" not in term:
            continue
        attributes = term[term.rindex("{") + 1 : -1].split()
        for attribute in attributes:
            if attribute.startswith("#"):
                anchors[attribute[1:]] = token.map[0] + 1
    return anchors


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
