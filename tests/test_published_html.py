"""The built-site check (scripts/gates/published_html.py): what ships is read with
an HTML5 parser, and anything outside the allowlist fails, naming its source."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from gates import published_html
from gates.published_html import ShellRules, check_site, page_problems, svg_problems

BUNDLE = '<script src="../assets/javascripts/bundle.a5f9d56c.min.js"></script>'
MATERIAL_SCOPE = (
    '<script>__md_scope=new URL("..",location),'
    "__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),"
    '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
    '__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}'
    "catch(e){}}</script>"
)
RULES = ShellRules(frozenset({"assets/javascripts/accessibility.js"}), "/architecture-notes/")


def material_page(article: str = "<p>Text.</p>", head: str = "", nav: str = "") -> str:
    """A page shaped as Material writes one, with `article` as the note's rendered content."""
    return textwrap.dedent(f"""\
        <!doctype html><html><head><meta charset="utf-8">
        <meta name="description" content="A note.">{head}
        <link rel="stylesheet" href="../assets/stylesheets/main.57a0d79d.min.css">
        {MATERIAL_SCOPE}</head><body>
        <nav class="md-nav"><a href="../" class="md-nav__link">Home</a>{nav}</nav>
        <main><article class="md-content__inner md-typeset">{article}</article></main>
        <script id="__config" type="application/json">{{"base": ".."}}</script>
        {BUNDLE}<script src="../assets/javascripts/accessibility.js" defer></script>
        </body></html>""")


def problems(html: str) -> list[str]:
    return [problem.message for problem in page_problems(html, "note/index.html", RULES)]


pytestmark = pytest.mark.gate


def test_a_page_as_material_writes_it_passes():
    assert problems(material_page()) == []


# What Python-Markdown renders from the note's Markdown and the content standard asks for.
NOTE_CONTENT = [
    '<p>A claim.<sup id="fnref:hp12"><a class="footnote-ref" href="#fn:hp12">1</a></sup></p>'
    '<div class="footnote"><hr><ol><li id="fn:hp12"><p>Ford, ch. 12.&nbsp;<a class="footnote-backref" '
    'href="#fnref:hp12" title="Jump back to footnote 1 in the text">&#8617;</a></p></li></ol></div>',
    '<div class="admonition rule-of-thumb"><p class="admonition-title">Rule of thumb, from X (Y)</p>'
    "<p><strong>When it does not hold:</strong> never.</p></div>",
    '<table><thead><tr><th style="text-align: left;">option</th></tr></thead>'
    '<tbody><tr><td style="text-align: left;">Cache</td></tr></tbody></table>',
    '<ul class="task-list"><li class="task-list-item"><label class="task-list-control">'
    '<input type="checkbox"><span class="task-list-indicator"></span></label> Check it</li></ul>',
    '<p>The <abbr title="Application programming interface">API</abbr>.</p>',
    '<p><a href="https://example.org/paper" title="The paper">paper</a>, <a href="mailto:a@b.c">mail</a></p>',
    '<p id="x" class="lead" data-note="1" aria-label="Lead">Attribute list.</p>',
    '<details class="note" open><summary>More</summary><p>Body</p></details>',
    '<p><img alt="A diagram" src="../assets/images/x.png" srcset="../assets/images/x@2x.png 2x"></p>',
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Flow</title><defs><marker id="m">'
    '<path d="M0 0"/></marker></defs><style>#a .node{fill:#fff}.edge{marker-end:url(#m)}</style>'
    '<g><path d="M0 0L1 1" marker-end="url(#m)"/><use href="#m"/><foreignObject><div '
    'xmlns="http://www.w3.org/1999/xhtml"><span class="nodeLabel">Order</span></div></foreignObject>'
    "</g></svg>",
]


@pytest.mark.parametrize("content", NOTE_CONTENT)
def test_what_the_content_standard_uses_passes(content: str):
    assert problems(material_page(content)) == []


# Each bypass of the issue, as the browser would receive it.
HOSTILE_CONTENT = [
    ("<svg/onload=alert(1)>", "event handler attribute onload= on <svg>"),
    ("<details/open/ontoggle=alert(1)>", "event handler attribute ontoggle= on <details>"),
    ('<a href="javascript:a = 1">x</a>', "javascript: URL in href= on <a>"),
    ('<a href=" jav&#x09;ascript:alert(1)">x</a>', "javascript: URL in href= on <a>"),
    ('<p title="}" onmouseover="alert(1)">x</p>', "event handler attribute onmouseover= on <p>"),
    ('<pre class="mermaid" title=\'x\' onclick="alert(1)">x</pre>', "event handler attribute onclick="),
    ("<script>alert(1)</script>", "element <script> is not allowed"),
    ('<iframe src="https://example.org/"></iframe>', "element <iframe> is not allowed"),
    ('<object data="x.swf"></object>', "element <object> is not allowed"),
    ('<embed src="x.swf">', "element <embed> is not allowed"),
    ('<img alt="x" src="https://tracker.example/p.gif">', "external resource"),
    ('<img alt="x" src="//tracker.example/p.gif">', "another host"),
    ('<img alt="x" src="x.png" srcset="https://tracker.example/p.gif 2x">', "external resource in srcset="),
    ('<img alt="x" src="data:image/svg+xml,<svg onload=alert(1)>">', "data: URL in src="),
    ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "data: URL in href="),
    ('<span style="background:url(https://tracker.example/p.gif)">x</span>', "CSS url()"),
    ('<span style="background:\\75rl(https://tracker.example/p.gif)">x</span>', "CSS with \\"),
    ('<svg><use href="https://tracker.example/s.svg#a"/></svg>', "points outside the drawing"),
    ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', "element <a> is not allowed"),
    ("<svg><image href='https://tracker.example/p.png'/></svg>", "element <image> is not allowed"),
    ("<svg><style>@import url(https://tracker.example/x.css)</style></svg>", "CSS with @import"),
    ('<svg><rect fill="url(https://tracker.example/p.svg#g)"/></svg>', "CSS url()"),
    ('<svg><set attributeName="href" to="javascript:alert(1)"/></svg>', "element <set> is not allowed"),
    ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', "element <math> is not allowed"),
    ('<form action="https://example.org/"><input type="text"></form>', "element <form> is not allowed"),
    ('<base href="https://example.org/">', "element <base> is not allowed"),
    ('<link rel="stylesheet" href="https://example.org/x.css">', "element <link> is not allowed"),
    ('<meta http-equiv="refresh" content="0;url=https://example.org/">', "element <meta> is not allowed"),
    ('<input type="image" src="x.png">', "<input type=image>"),
    ('<p formaction="javascript:alert(1)">x</p>', "attribute formaction= is not allowed"),
    ("<style>body{background:red}</style>", "element <style> is not allowed"),
    ("<noscript><p title='</noscript><img src=x onerror=alert(1)>'></p></noscript>", "<noscript>"),
]


@pytest.mark.parametrize(("content", "problem"), HOSTILE_CONTENT)
def test_hostile_content_in_a_note_fails(content: str, problem: str):
    found = problems(material_page(content))
    assert found, content
    assert any(problem in message for message in found), found


@pytest.mark.parametrize(
    ("page", "problem"),
    [
        # Front matter reaching the templates (root cause 2).
        (
            material_page(head='<meta name="twitter" content=""><script>alert(1)</script>">'),
            "inline <script> that is not one of Material's own",
        ),
        (
            material_page(nav='<a href="x/"><img src=x onerror=alert(1)></a>'),
            "event handler attribute onerror=",
        ),
        # Off-site extra_javascript and stylesheets (root cause 6).
        (
            material_page(head='<script src="https://cdn.example/x.js"></script>'),
            "<script src=https://cdn.example/x.js> is not one of",
        ),
        (
            material_page(head='<script src="../assets/javascripts/extra.js"></script>'),
            "<script src=../assets/javascripts/extra.js> is not one of",
        ),
        (
            material_page(head='<link rel="stylesheet" href="https://fonts.example/x.css">'),
            "external resource in href= on <link>",
        ),
        (material_page(head='<link rel="preload" href="x.js">'), "<link rel=preload>"),
        (material_page(head='<meta http-equiv="refresh" content="0">'), '<meta http-equiv="refresh">'),
        (material_page(head='<base href="https://example.org/">'), "<base> element"),
        (material_page(nav="<style>@import url(https://x)</style>"), "<style> element"),
    ],
)
def test_hostile_markup_in_the_theme_shell_fails(page: str, problem: str):
    found = problems(page)
    assert any(problem in message for message in found), found


def test_absolute_theme_script_urls_under_the_base_path_pass():
    page = material_page().replace(BUNDLE, BUNDLE.replace("../", "/architecture-notes/"))
    assert problems(page) == []


@pytest.mark.parametrize(
    ("svg", "problem"),
    [
        ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "<script>"),
        ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "onload="),
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><script><![CDATA[alert(1)]]></script></svg>',
            "<script>",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/2000/svg">'
            "<x:script>alert(1)</x:script></svg>",
            "script",
        ),
        (
            '<!DOCTYPE svg [<!ENTITY x "&#60;script&#62;">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
            "entity declarations",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:l="http://www.w3.org/1999/xlink">'
            '<image l:href="https://tracker.example/p.png"/></svg>',
            "image",
        ),
    ],
)
def test_a_hostile_svg_file_fails(svg: str, problem: str):
    found = [p.message for p in svg_problems(svg)]
    assert any(problem in message for message in found), found


def test_a_plain_svg_file_passes():
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><title>Dot</title><circle r="1"/></svg>'
    assert svg_problems(svg) == []


def test_a_finding_names_the_source_page_and_line(tmp_path: Path):
    site, docs = tmp_path / "site", tmp_path / "docs"
    (site / "note").mkdir(parents=True)
    docs.mkdir()
    source = docs / "note.md"
    source.write_text("# Note\n\nText.\n\n<details/open/ontoggle=alert(1)>\n", encoding="utf-8")
    (site / "note/index.html").write_text(material_page("<details open ontoggle=alert(1)>"), encoding="utf-8")
    findings = check_site(site, lambda page: source if page == "note/index.html" else None, RULES)
    assert [str(f) for f in findings] == [
        f"{source}:5: event handler attribute ontoggle= on <details> (in note/index.html)"
    ]


def test_a_large_site_is_read_by_several_processes_and_misses_nothing(tmp_path: Path, monkeypatch):
    # Below the threshold the check runs in this process; lower it so that three
    # files go through the process pool, as a 1,000-note site's do.
    monkeypatch.setattr(published_html, "PARALLEL_FROM_FILES", 2)
    monkeypatch.setattr(published_html.os, "cpu_count", lambda: 2)
    site = tmp_path / "site"
    articles = {"a": "<p>Fine.</p>", "b": "<img src=x onerror=alert(1)>", "c": "<p>Fine.</p>"}
    for name, article in articles.items():
        (site / name).mkdir(parents=True)
        (site / name / "index.html").write_text(material_page(article), encoding="utf-8")
    (site / "drawing.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    findings = check_site(site, lambda page: None, RULES)
    assert [(f.path.relative_to(site).as_posix(), f.message) for f in findings] == [
        ("b/index.html", "event handler attribute onerror= on <img>"),
        ("drawing.svg", "event handler attribute onload= in an SVG file"),
        ("drawing.svg", "event handler attribute onload= on <svg>"),
    ]


def test_a_rebuild_reads_again_only_the_files_whose_bytes_changed(tmp_path: Path, monkeypatch):
    site = tmp_path / "site"
    for name in ("a", "b"):
        (site / name).mkdir(parents=True)
        (site / name / "index.html").write_text(material_page("<p>Fine.</p>"), encoding="utf-8")
    read: list[str] = []
    real = published_html.file_problems
    monkeypatch.setattr(published_html, "file_problems", lambda *args: read.append(args[1]) or real(*args))
    passed: dict[str, bytes] = {}
    assert check_site(site, lambda page: None, RULES, passed) == []
    assert read == ["a/index.html", "b/index.html"] and set(passed) == set(read)
    # A live preview's rebuild: b changes (to something refused), a is written again as it was.
    (site / "a/index.html").write_text(material_page("<p>Fine.</p>"), encoding="utf-8")
    (site / "b/index.html").write_text(material_page("<img src=x onerror=alert(1)>"), encoding="utf-8")
    read.clear()
    findings = check_site(site, lambda page: None, RULES, passed)
    assert read == ["b/index.html"]
    assert [f.message for f in findings] == ["event handler attribute onerror= on <img>"]
    # A file that failed is read again at the next build, even unchanged.
    read.clear()
    assert len(check_site(site, lambda page: None, RULES, passed)) == 1 and read == ["b/index.html"]
