"""The pages pass pymarkdownlnt with the site's config: Material syntax passes, style slips fail."""

from __future__ import annotations

from pathlib import Path

import pytest
from content.site_pages import site_pages
from gates.markdown_lint import lint
from gates.markdown_lint import main as markdown_lint_main
from site_build import REPO_ROOT

pytestmark = pytest.mark.gate

MATERIAL_SYNTAX = """\
---
title: Sample
description: Every piece of Material syntax the notes use.
tags:
  - data
---

# Sample

Text with an ACID abbreviation and a link to [ACID vs BASE](../data/acid-vs-base.md).

!!! note "A note"
    Inside the admonition, with a list:

    - one
    - two

??? tip "Folded"
    Folded body.

```mermaid
--8<-- "diagrams/coupling-cascade.mmd"
```

| option | gains |
| --- | --- |
| First | Speed. |

- [x] done
- [ ] to do

- Outer item
    - nested under four spaces, as Python-Markdown needs

Term
:   Its definition.

## Heading with an anchor { #custom-anchor }

A footnote.[^1]

[^1]: The footnote text.

*[ACID]: Atomicity, consistency, isolation, durability
"""


def test_every_page_passes_the_linter():
    problems = lint(site_pages(REPO_ROOT))
    assert not problems, "\n".join(problems)


def test_material_syntax_passes(tmp_path: Path):
    page = tmp_path / "sample.md"
    page.write_text(MATERIAL_SYNTAX, encoding="utf-8")
    assert lint([page]) == []


@pytest.mark.parametrize(
    ("replace", "by", "rule"),
    [
        ("## Heading with an anchor", "# A second title", "MD025: Multiple top-level headings"),
        ("## Heading with an anchor", "### Skipped a level", "MD001: Heading levels should only increment"),
        ("- [x] done", "Lead-in line\n- [x] done", "MD032: Lists should be surrounded by blank lines"),
        ("```mermaid", "```", "MD040: Fenced code blocks should have a language specified"),
        ("Folded body.", "Folded body.   ", "MD009: Trailing spaces"),
        ("[ACID vs BASE](../data/acid-vs-base.md)", "[here](../data/acid-vs-base.md)", "MD059: Link text"),
        ("Term\n", "Term\n\n\n", "MD012: Multiple consecutive blank lines"),
    ],
)
def test_a_style_slip_fails_with_file_line_and_rule(tmp_path: Path, replace: str, by: str, rule: str):
    assert replace in MATERIAL_SYNTAX
    text = MATERIAL_SYNTAX.replace(replace, by, 1)
    page = tmp_path / "bad.md"
    page.write_text(text, encoding="utf-8")
    problems = lint([page])
    assert len(problems) == 1, problems
    path, line, _column, message = problems[0].split(":", 3)
    assert path == str(page) and message.strip().startswith(rule)
    # The reported line is where the slip is (or, for a list or blank run, next to it).
    slip_line = text[: text.index(by)].count("\n") + 1
    assert abs(int(line) - slip_line) <= 2


def test_the_command_line_exits_1_on_a_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    page = tmp_path / "bad.md"
    page.write_text(MATERIAL_SYNTAX + "\n# Another title\n", encoding="utf-8")
    assert markdown_lint_main([str(page)]) == 1
    captured = capsys.readouterr()
    assert "MD025" in captured.err and "1 files linted, 1 problems." in captured.out
