"""The content gates pass on the site, and each one catches a bad example with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from gates.content_gates import PAGE_GATES, SITE_GATES, run_gate
from gates.content_gates import main as content_gates_main
from mini_site import make_mini_site
from site_build import REPO_ROOT

pytestmark = pytest.mark.gate


@pytest.mark.parametrize("gate", [*PAGE_GATES, *SITE_GATES])
def test_the_site_passes_the_gate(gate: str):
    findings = run_gate(gate, REPO_ROOT)
    assert not findings, "\n".join(map(str, findings))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_mini_site(tmp_path)


def findings(site: Path, gate: str) -> list[str]:
    return [str(finding) for finding in run_gate(gate, site)]


def add_to_note(site: Path, text: str) -> tuple[Path, int]:
    """Append `text` to a note; return the note and the 1-based line where `text` starts."""
    note = site / "docs/foundations/coupling.md"
    before = note.read_text(encoding="utf-8")
    note.write_text(before + "\n" + text, encoding="utf-8")
    return note, before.count("\n") + 2


@pytest.mark.parametrize("gate", [*PAGE_GATES, *SITE_GATES])
def test_the_mini_site_passes_every_gate(site: Path, gate: str):
    assert findings(site, gate) == []


@pytest.mark.parametrize(
    ("markdown", "line_in_text", "problem"),
    [
        ("<script>alert(1)</script>\n", 0, "raw <script> element"),
        ('Text <iframe src="https://example.org/"></iframe> inline.\n', 0, "raw <iframe> element"),
        ('<div>\n<object data="x.swf"></object>\n</div>\n', 1, "raw <object> element"),
        ('<embed src="x.swf">\n', 0, "raw <embed> element"),
        (
            "First line,\nthen <img src=x.png alt=x onerror=alert(1)>.\n",
            1,
            "event handler attribute onerror=",
        ),
        ('<a href="javascript:alert(1)">go</a>\n', 0, "script URL in href= on <a>"),
        ("[go](javascript:alert(1))\n", 0, "script URL in a link"),
        (
            '[go](page.md){: onclick="alert(1)" }\n',
            0,
            "event handler attribute onclick= in an attribute list",
        ),
        (
            '!!! note "Careful"\n    Inside an admonition.\n\n    <script>alert(1)</script>\n',
            3,
            "raw <script>",
        ),
        ("- item\n\n        <script>alert(1)</script>\n", 2, "raw <script>"),
    ],
)
def test_unsafe_markup_in_a_note_fails_with_its_line(
    site: Path, markdown: str, line_in_text: int, problem: str
):
    note, line = add_to_note(site, markdown)
    found = findings(site, "unsafe markup")
    assert len(found) == 1, found
    assert found[0].startswith(f"{note}:{line + line_in_text}: {problem}")


def test_html_in_code_is_not_markup(site: Path):
    add_to_note(site, "Write `<script>` tags nowhere.\n\n```html\n<script>alert(1)</script>\n```\n")
    assert findings(site, "unsafe markup") == []


@pytest.mark.parametrize(
    ("diagram", "problem"),
    [
        ('flowchart LR\n  A --> B\n  B --> C["<script>alert(1)</script>"]\n', ":3: raw <script> element"),
        (
            'flowchart LR\n  A["<img src=x onerror=alert(1)>"] --> B\n',
            ":2: event handler attribute onerror= on <img>",
        ),
        ('flowchart LR\n  A --> B\n  B --> C["<iframe src=x></iframe>"]\n', ":3: raw <iframe> element"),
    ],
)
def test_unsafe_markup_in_a_diagram_fails_with_its_line(site: Path, diagram: str, problem: str):
    (site / "diagrams/coupling-cascade.mmd").write_text(diagram, encoding="utf-8")
    assert findings(site, "unsafe diagram markup") == [f"{site / 'diagrams/coupling-cascade.mmd'}{problem}"]


def test_unsafe_markup_in_an_inline_diagram_fails(site: Path):
    note, line = add_to_note(site, '```mermaid\nflowchart LR\n  A["<script>x</script>"] --> B\n```\n')
    assert findings(site, "unsafe diagram markup") == [f"{note}:{line + 2}: raw <script> element"]


@pytest.mark.parametrize(
    ("markdown", "problem"),
    [
        ("![](cat.png)\n", "image cat.png has no alt text"),
        ("A table:\n\n| a |\n| - |\n| ![ ](dog.png) |\n", "image dog.png has no alt text"),
        ('<img src="cow.png">\n', "<img> cow.png has no alt text"),
        ('<p><img src="hen.png" alt=""></p>\n', "<img> hen.png has no alt text"),
    ],
)
def test_an_image_without_alt_text_fails(site: Path, markdown: str, problem: str):
    note, line = add_to_note(site, markdown)
    found = findings(site, "image alt text")
    assert len(found) == 1, found
    assert found[0].startswith(f"{note}:") and found[0].endswith(problem)
    assert int(found[0].split(":")[1]) >= line


def test_an_image_with_alt_text_passes(site: Path):
    add_to_note(site, '![A cat on a mat](cat.png)\n\n<img src="cow.png" alt="A cow">\n')
    assert findings(site, "image alt text") == []


def test_an_unused_diagram_fails(site: Path):
    (site / "diagrams/orphan.mmd").write_text("flowchart LR\n  A --> B\n", encoding="utf-8")
    assert findings(site, "diagram usage") == [
        f"{site / 'diagrams/orphan.mmd'}:1: diagram is not included by any page"
    ]


def test_a_missing_included_diagram_fails_with_its_line(site: Path):
    note, line = add_to_note(site, '```mermaid\n--8<-- "diagrams/missing.mmd"\n```\n')
    assert findings(site, "diagram usage") == [
        f"{note}:{line + 1}: included diagram diagrams/missing.mmd does not exist"
    ]


def test_a_diagram_included_inside_an_admonition_counts_as_used(site: Path):
    (site / "diagrams/extra.mmd").write_text("flowchart LR\n  A --> B\n", encoding="utf-8")
    add_to_note(site, '!!! example\n    ```mermaid\n    --8<-- "diagrams/extra.mmd"\n    ```\n')
    assert findings(site, "diagram usage") == []


def test_a_page_missing_from_the_nav_fails(site: Path):
    (site / "docs/data/orphan.md").write_text("---\ntitle: O\ndescription: O.\ntags: [data]\n---\n\n# O\n")
    assert findings(site, "orphan pages") == [
        f"{site / 'docs/data/orphan.md'}:1: page is not in mkdocs.yml's nav "
        "(add `data/orphan.md` under its section)"
    ]


def add_section_index(site: Path, body: str) -> Path:
    """Make docs/data/index.md the Data section's index page, with `body` as its list."""
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("      - data/acid.md\n", "      - data/index.md\n      - data/acid.md\n")
    )
    index = site / "docs/data/index.md"
    index.write_text(f"---\ntitle: Data\ndescription: The data notes.\n---\n\n# Data\n\n{body}")
    # A new page is recorded as published, as `make published-pages` would.
    published = site / "published-pages.txt"
    published.write_text(published.read_text() + "data/index.md\n")
    return index


def test_a_section_index_page_that_lists_its_notes_passes_every_gate(site: Path):
    add_section_index(site, "- [ACID](acid.md): the guarantees.\n")
    # Not a note: it needs no tags and no References.
    for gate in [*PAGE_GATES, *SITE_GATES]:
        assert findings(site, gate) == [], gate


def test_a_section_index_page_missing_a_note_of_its_section_fails(site: Path):
    # A link in code, or to another section's note, does not count.
    index = add_section_index(site, "See `[ACID](acid.md)` and [coupling](../foundations/coupling.md).\n")
    assert findings(site, "section index pages") == [
        f"{index}:1: the 'Data and consistency' section lists `data/acid.md` in mkdocs.yml's nav, "
        "but its index page does not link it (add `- [Title](acid.md): what it covers.`)"
    ]


@pytest.mark.parametrize(
    ("markdown", "line_in_text", "acronym"),
    [
        ("We use CQRS here.\n", 0, "CQRS"),
        ("Two lines,\nthe second has 2PC.\n", 1, "2PC"),
        ("## Heading with SLO\n", 0, "SLO"),
        ("| a | b |\n| - | - |\n| x | L7 |\n", 2, "L7"),
        ("Plural APIs are fine but DLQs are not.\n", 0, "DLQ"),
        ("[Read the RFC](https://example.org/API)\n", 0, "RFC"),
        ('!!! note "Careful"\n    A TTL inside an admonition.\n', 1, "TTL"),
        ("Term\n:   Its definition mentions CDC.\n", 1, "CDC"),
    ],
)
def test_an_undefined_acronym_fails_with_file_line_and_acronym(
    site: Path, markdown: str, line_in_text: int, acronym: str
):
    note, line = add_to_note(site, markdown)
    found = findings(site, "acronyms")
    assert len(found) == 1, found
    assert found[0].startswith(f"{note}:{line + line_in_text}: acronym {acronym} is not defined")


def test_code_urls_and_camel_case_are_not_acronyms(site: Path):
    add_to_note(
        site,
        "The `CQRS` code, an <https://example.org/SLO> autolink, a [link](https://x.org/TTL),\n"
        "OrderPlaced events, a GET that returns OK, and API use.\n\n```text\nDLQ\n```\n",
    )
    assert findings(site, "acronyms") == []


def test_an_abbreviation_without_a_glossary_entry_fails(site: Path):
    abbreviations = site / "docs/includes/abbreviations.md"
    abbreviations.write_text(abbreviations.read_text() + "*[SLA]: Service level agreement\n")
    assert findings(site, "acronyms") == [f"{abbreviations}:3: SLA has no glossary entry anchored #sla"]


def test_the_command_line_names_the_gate_and_exits_1(site: Path, capsys: pytest.CaptureFixture[str]):
    add_to_note(site, "<script>alert(1)</script>\n")
    assert content_gates_main(["--root", str(site)]) == 1
    captured = capsys.readouterr()
    assert "raw <script> element [unsafe markup]" in captured.err
    assert "unsafe markup: 1 problems" in captured.out
    assert "acronyms: ok" in captured.out


def test_an_h1_that_differs_from_the_title_fails_with_its_line(site: Path):
    note = site / "docs/foundations/coupling.md"
    note.write_text(note.read_text().replace("# Coupling\n", "# Loose coupling\n"), encoding="utf-8")
    assert findings(site, "title heading") == [
        f"{note}:8: H1 'Loose coupling' differs from the title 'Coupling'"
    ]


def test_a_page_without_an_h1_fails(site: Path):
    note = site / "docs/foundations/coupling.md"
    note.write_text(note.read_text().replace("# Coupling\n", "## Coupling\n"), encoding="utf-8")
    assert findings(site, "title heading") == [f"{note}:1: no H1: start the page with `# Coupling`"]


def test_unsafe_markup_in_an_inline_diagram_inside_an_admonition_fails(site: Path):
    note, line = add_to_note(
        site, '!!! example\n    ```mermaid\n    flowchart LR\n      A["<script>x</script>"] --> B\n    ```\n'
    )
    assert findings(site, "unsafe diagram markup") == [f"{note}:{line + 3}: raw <script> element"]


def test_a_placeholder_left_from_the_template_fails_with_its_line(site: Path):
    note, line = add_to_note(site, "## Pitfalls\n\n- A pitfall: why it bites, and what to do instead.\n")
    assert findings(site, "template leftovers") == [
        f"{note}:{line + 2}: placeholder from the note template left in: "
        "'A pitfall: why it bites, and what to do instead.'"
    ]


def test_a_table_headed_like_the_template_is_not_a_leftover(site: Path):
    add_to_note(site, "| option | gains | costs |\n| --- | --- | --- |\n| Cache | Speed. | Staleness. |\n")
    assert findings(site, "template leftovers") == []


def test_the_command_line_says_so_in_one_line_when_there_is_no_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    assert content_gates_main(["--root", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"content_gates: no mkdocs.yml in {tmp_path}\n"


# Issue 15, root cause 1: the gates read what Python-Markdown renders, not a CommonMark parse.
@pytest.mark.parametrize(
    ("markdown", "line_in_text", "problem"),
    [
        ("<svg/onload=alert(1)>\n", 0, "event handler attribute onload= on <svg>"),
        ("<details/open/ontoggle=alert(1)>\n", 0, "event handler attribute ontoggle= on <details>"),
        ("[x](javascript:a = 1)\n", 0, "javascript: URL in href= on <a>"),
        ('Text.\n{: title="}" onmouseover="alert(1)" }\n', 1, "event handler attribute onmouseover= on <p>"),
        ("![A pixel](https://tracker.example/p.gif)\n", 0, "external resource in src= on <img>"),
        ('<span style="background:url(https://tracker.example/p.gif)">x</span>\n', 0, "CSS url()"),
    ],
)
def test_what_python_markdown_renders_is_checked(site: Path, markdown: str, line_in_text: int, problem: str):
    note, line = add_to_note(site, markdown)
    found = findings(site, "rendered markup")
    assert any(f.startswith(f"{note}:{line + line_in_text}: {problem}") for f in found), found


def test_a_fence_attribute_cannot_carry_a_handler(site: Path):
    note, line = add_to_note(
        site, "```{.mermaid title='x' onclick=\"alert(1)\"}\nflowchart LR\n  A --> B\n```\n"
    )
    found = findings(site, "rendered markup")
    assert found and all(f.startswith(f"{note}:{line}") for f in found), found


# Root cause 3: Material's tooltips turn text into HTML.
@pytest.mark.parametrize(
    ("markdown", "where"),
    [
        ('[paper](https://example.org/ "<img src=x onerror=alert(1)>")\n', "tooltip of <a>"),
        ("## The `<script>` tag\n", "heading"),
        ("## Escaped &lt;img src=x onerror=alert(1)&gt;\n", "heading"),
    ],
)
def test_markup_where_a_tooltip_shows_it_fails_with_its_line(site: Path, markdown: str, where: str):
    note, line = add_to_note(site, markdown)
    found = findings(site, "rendered markup")
    assert any(f.startswith(f"{note}:{line}: markup character in the {where}") for f in found), found


def test_markup_in_an_abbreviation_fails_in_the_includes_file(site: Path):
    abbreviations = site / "docs/includes/abbreviations.md"
    abbreviations.write_text(abbreviations.read_text() + "*[ACID]: <img src=x onerror=alert(1)>\n")
    found = findings(site, "rendered markup")
    assert found and all(f.startswith(f"{abbreviations}:3: markup character in the tooltip") for f in found)


def test_html_reaching_a_diagram_through_a_nested_snippet_fails(site: Path):
    (site / "docs/includes/label.md").write_text('  A["<img src=x onerror=alert(1)>"] --> B\n')
    diagram = site / "diagrams/coupling-cascade.mmd"
    diagram.write_text('flowchart LR\n--8<-- "docs/includes/label.md"\n')
    assert findings(site, "nested snippets") == [
        f"{diagram}:2: snippet line in a snippet: write the content here"
    ]
    assert any("event handler attribute onerror=" in f for f in findings(site, "rendered markup"))


# Root causes 4 and 5: files the gates never read, and secrets.
def test_a_snippet_outside_diagrams_and_includes_fails_with_its_line(site: Path):
    (site / ".env").write_text("TOKEN=secret\n")
    note, line = add_to_note(site, '```text\n--8<-- ".env"\n```\n')
    found = findings(site, "snippet paths")
    assert len(found) == 1 and found[0].startswith(f"{note}:{line + 1}: snippet .env reads "), found


def test_a_symlink_under_docs_fails(site: Path):
    link = site / "docs/environ.txt"
    link.symlink_to("/proc/self/environ")
    assert findings(site, "symlinks") == [
        f"{link}:1: symbolic link (to /proc/self/environ): commit the file itself, or nothing"
    ]


def test_a_symlinked_diagram_fails(site: Path):
    (site / "diagrams/coupling-cascade.mmd").unlink()
    (site / "diagrams/coupling-cascade.mmd").symlink_to("../.git/config")
    assert len(findings(site, "symlinks")) == 1


@pytest.mark.parametrize(
    ("relative", "problem"),
    [
        ("docs/x.html", ".html file is published as it is"),
        ("docs/assets/javascripts/track.js", ".js file is published as it is"),
        ("docs/logo.svg", "an SVG image belongs under docs/assets/images/"),
    ],
)
def test_code_files_under_docs_need_to_be_listed(site: Path, relative: str, problem: str):
    (site / relative).parent.mkdir(parents=True, exist_ok=True)
    (site / relative).write_text("<script>alert(1)</script>\n")
    found = findings(site, "files under docs")
    assert len(found) == 1 and found[0].startswith(f"{site / relative}:1: {problem}"), found


def test_an_image_under_docs_passes(site: Path):
    (site / "docs/assets/images").mkdir(parents=True)
    (site / "docs/assets/images/flow.svg").write_text("<svg/>")
    (site / "docs/assets/images/photo.png").write_bytes(b"\x89PNG")
    assert findings(site, "files under docs") == []


def test_env_in_mkdocs_yml_is_refused_beyond_the_allowlist(site: Path):
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text()
        + "extra:\n  offline: !ENV [OFFLINE, false]\n  token: !ENV GITHUB_TOKEN\n"
        + "  either: !ENV [A_SECRET, OFFLINE, x]\n"
    )
    lines = config.read_text().splitlines()
    assert findings(site, "environment in mkdocs.yml") == [
        f"{config}:{lines.index('  token: !ENV GITHUB_TOKEN') + 1}: "
        "!ENV GITHUB_TOKEN: only OFFLINE may be read from the environment",
        f"{config}:{len(lines)}: !ENV A_SECRET: only OFFLINE may be read from the environment",
    ]
