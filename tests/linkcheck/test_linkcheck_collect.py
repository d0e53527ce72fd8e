"""Collecting references: a real Markdown parser, code excluded, lines right, URLs intact."""

from __future__ import annotations

from pathlib import Path

from linkcheck.check import parse_link
from linkcheck.collect import collect_links

NOTE = """\
---
title: A note
---

# Heading

See [Coupling](https://en.wikipedia.org/wiki/Coupling_(computer_programming)) and a
bare https://en.wikipedia.org/wiki/Cohesion_(computer_science) in text.

Code is not a reference: `https://inline.example/` and

```text
https://fenced.example/
```

    https://indented.example/

!!! note "An admonition"
    Inside it, [a link](https://admonition.example/page#part).

| a | b |
| --- | --- |
| [in a table](https://table.example/) | x |

<a href="https://raw-html.example/">raw</a>

A [reference link][ref] and an image ![alt](https://img.example/a.png).

[ref]: https://reference.example/
[unused]: https://unused-reference.example/

Relative [links](other.md) and [mail](mailto:a@b.example) are not external.
"""


def test_external_links_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "note.md").write_text(NOTE, encoding="utf-8")
    collected = collect_links([tmp_path / "docs"], tmp_path)
    found = {url: [(s.file, s.line) for s in sources] for url, sources in collected.urls.items()}
    assert found == {
        "https://en.wikipedia.org/wiki/Coupling_(computer_programming)": [("docs/note.md", 7)],
        "https://en.wikipedia.org/wiki/Cohesion_(computer_science)": [("docs/note.md", 8)],
        "https://admonition.example/page#part": [("docs/note.md", 19)],
        "https://table.example/": [("docs/note.md", 23)],
        "https://raw-html.example/": [("docs/note.md", 25)],
        "https://reference.example/": [("docs/note.md", 27)],
        "https://img.example/a.png": [("docs/note.md", 27)],
        "https://unused-reference.example/": [("docs/note.md", 30)],
    }
    assert collected.problems == []


def test_mkdocs_yaml_urls_without_running_its_tags(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_url: https://site.example/\n"
        "extra:\n  social:\n    - link: https://social.example/\n"
        "markdown_extensions:\n  - x:\n      format: !!python/name:os.system\n",
        encoding="utf-8",
    )
    collected = collect_links([tmp_path / "mkdocs.yml"], tmp_path)
    assert {u: s[0].line for u, s in collected.urls.items()} == {
        "https://site.example/": 1,
        "https://social.example/": 4,
    }


def test_the_same_url_in_several_files_is_one_entry(tmp_path: Path) -> None:
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("x\n[l](https://same.example/)\n", encoding="utf-8")
    collected = collect_links([tmp_path / "a.md", tmp_path / "b.md"], tmp_path)
    assert [(s.file, s.line) for s in collected.urls["https://same.example/"]] == [("a.md", 2), ("b.md", 2)]


def test_bad_files_are_problems_not_crashes(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_bytes(b"\xff\xfe[x](https://a.example/)")
    (tmp_path / "bad.yml").write_text("a: [unclosed\n", encoding="utf-8")
    (tmp_path / "good.md").write_text("[x](https://good.example/)\n", encoding="utf-8")
    collected = collect_links([tmp_path / n for n in ("bad.md", "bad.yml", "good.md", "gone.md")], tmp_path)
    assert list(collected.urls) == ["https://good.example/"]
    assert [p.split(":")[0] for p in collected.problems] == ["bad.md", "bad.yml", "gone.md"]


def test_malformed_urls_are_recognised() -> None:
    for url in ("http://host:99999/", "https://[::1/", "http:///nohost", "http://exa mple.com/"):
        parsed, problem = parse_link(url)
        assert parsed is None and problem.startswith("malformed URL"), url
    assert parse_link("https://en.wikipedia.org/wiki/Coupling_(computer_programming)")[0] is not None


def test_emphasis_around_a_url_does_not_change_it(tmp_path: Path) -> None:
    # The parser skips emphasis and strike-through (for speed): a URL inside them is found whole.
    text = (
        "*https://a.example/x* and _https://b.example/a_b_ and **[l](https://c.example/)**\n"
        "~~https://d.example/~~ and *<https://e.example/>*\n"
    )
    (tmp_path / "note.md").write_text(text, encoding="utf-8")
    assert list(collect_links([tmp_path / "note.md"], tmp_path).urls) == [
        "https://a.example/x",
        "https://b.example/a_b_",
        "https://c.example/",
        "https://d.example/~~",
        "https://e.example/",
    ]


def test_white_space_anywhere_in_a_url_makes_it_malformed() -> None:
    for space in (" ", "\t", "\u00a0", "\u2003", "\u3000", "\x1c"):
        parsed, problem = parse_link(f"https://a.example/x{space}y")
        assert parsed is None and "white space" in problem, repr(space)
