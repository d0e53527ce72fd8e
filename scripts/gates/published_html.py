"""Check what ships: every HTML and SVG file of the built site, read as a browser reads it.

The Markdown gates read what a contributor wrote; this reads what the reader
gets, after Python-Markdown, the theme and every hook, with an HTML5 parser
(Lexbor). So a difference between how a gate and the renderer read Markdown
cannot let anything through. Two parts of a page are held to two rules:

- the article (`article.md-content__inner`), which comes from the note: the
  allowlist of gates/markup_policy.py (elements, attributes, URL schemes);
- the theme's shell around it, where front matter and hooks also write: no
  script but Material's own (its bundle, its inline scripts, the site's
  extra_javascript and vendored files) and a redirect page's one script, no
  event handler, no `javascript:` or `data:` URL, no resource from another
  host, no embedding element.

A standalone SVG file is read both as HTML (as this check reads pages) and as
XML (as a browser reads an image/svg+xml file), and must pass both ways.

Usage: python scripts/check_published.py [SITE_DIR]
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import site as site_module
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from csp.theme_scripts import is_theme_script
from redirects.pages import FRAGMENT_SCRIPT
from selectolax.lexbor import LexborHTMLParser, LexborNode

from gates.finding import Finding
from gates.markup_policy import (
    HTML_ELEMENTS,
    SVG_ELEMENTS,
    URL_ATTRIBUTES,
    Problem,
    content_problems,
    css_problem,
    srcset_urls,
    url_problem,
)

CONTENT = "article.md-content__inner"
# Scripts the theme loads by URL, as paths within the site (the bundle's name carries its hash).
THEME_SCRIPT = re.compile(r"assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js")
# Files the site's hooks publish from the pinned npm packages.
VENDORED_SCRIPTS = frozenset({"assets/vendor/mermaid/mermaid.min.js", "assets/vendor/iframe-worker/shim.js"})
EMBEDDING = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "style"})
LINK_RELS = frozenset({"canonical", "prev", "next", "icon", "stylesheet", "alternate"})
# A <link> with these may name an absolute URL: it is an address, not a resource the page loads.
ADDRESS_RELS = frozenset({"canonical", "alternate"})
META_HTTP_EQUIV = frozenset({"content-security-policy"})
# A redirect page (scripts/redirects/, for a renamed page) refreshes at once to
# a page of this site; a refresh anywhere else, or later, is refused.
REFRESH = "refresh"


@dataclass(frozen=True)
class ShellRules:
    """What the theme shell may load: the site's own scripts, by path within the site."""

    scripts: frozenset[str] = field(default_factory=frozenset)
    # The site's path on its host (from site_url): absolute links in 404.html start with it.
    base: str = "/"

    def allows_script(self, site_path: str) -> bool:
        return (
            site_path in self.scripts
            or site_path in VENDORED_SCRIPTS
            or bool(THEME_SCRIPT.fullmatch(site_path))
        )


def _site_path(page: str, url: str, base_path: str = "/") -> str | None:
    """The path within the site that `url`, written in the page at `page`, points at; None if off-site."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    if parts.path.startswith("/"):
        if not parts.path.startswith(base_path):
            return None
        joined = parts.path.removeprefix(base_path)
    else:
        joined = (PurePosixPath(page).parent / parts.path).as_posix()
    resolved: list[str] = []
    for part in joined.split("/"):
        if part == "..":
            if resolved:
                resolved.pop()
        elif part not in ("", "."):
            resolved.append(part)
    return "/".join(resolved)


def _shell_script_problems(node: LexborNode, page: str, rules: ShellRules) -> Iterator[Problem]:
    src = node.attributes.get("src")
    if src is not None:
        path = _site_path(page, src, rules.base)
        if path is None or not rules.allows_script(path):
            yield Problem(f"<script src={src}> is not one of the theme's or the site's own scripts", src)
        return
    text = node.text(deep=True)
    if node.attributes.get("type") == "application/json" and node.attributes.get("id") == "__config":
        try:
            json.loads(text)
        except ValueError:
            yield Problem("Material's __config <script> is not JSON", "__config")
        return
    # A redirect page's own script (scripts/redirects/pages.py), which keeps the old URL's #fragment.
    if not is_theme_script(text) and text != FRAGMENT_SCRIPT:
        yield Problem("inline <script> that is not one of Material's own", text.strip()[:40] or "<script")


def _shell_attribute_problems(node: LexborNode) -> Iterator[Problem]:
    tag = node.tag.lower()
    rel = set((node.attributes.get("rel") or "").lower().split())
    for raw_name, raw_value in node.attributes.items():
        name, value = raw_name.lower(), raw_value or ""
        if name.startswith("on"):
            yield Problem(f"event handler attribute {name}= on <{tag}>", raw_name)
        elif name == "style" and (problem := css_problem(value)):
            yield Problem(f"{problem} in style= on <{tag}>", value[:40])
        elif name in URL_ATTRIBUTES:
            is_link = (tag == "a" and name in ("href", "xlink:href")) or (
                tag == "link" and rel <= ADDRESS_RELS
            )
            urls = srcset_urls(value) if name == "srcset" else [value]
            for url in urls:
                if tag != "a" and name in ("href", "xlink:href") and url.strip().startswith("#"):
                    continue
                if problem := url_problem(url, embedded=not is_link):
                    yield Problem(f"{problem} in {name}= on <{tag}>", url[:40])


def refresh_problem(content: str) -> str | None:
    """Why a meta refresh is refused, or None for `0; url=<a relative URL on this site>`."""
    delay, _, target = content.partition(";")
    key, _, url = target.strip().partition("=")
    if delay.strip() != "0" or key.strip().lower() != "url" or not url.strip():
        return "not an immediate redirect"
    return url_problem(url.strip(), embedded=True)


def shell_problems(node: LexborNode, page: str, rules: ShellRules) -> Iterator[Problem]:
    tag = node.tag.lower()
    if tag == "script":
        yield from _shell_script_problems(node, page, rules)
    elif tag in EMBEDDING:
        yield Problem(f"<{tag}> element in the page", f"<{tag}")
    elif tag == "link" and not (rel := set((node.attributes.get("rel") or "").lower().split())) <= LINK_RELS:
        yield Problem(f"<link rel={' '.join(sorted(rel))}> is not one the theme writes", "<link")
    elif tag == "meta" and (node.attributes.get("http-equiv") or "").lower() == REFRESH:
        if problem := refresh_problem(node.attributes.get("content") or ""):
            yield Problem(f'<meta http-equiv="refresh">: {problem}', "refresh")
    elif (
        tag == "meta"
        and (equiv := node.attributes.get("http-equiv") or "")
        and equiv.lower() not in META_HTTP_EQUIV
    ):
        yield Problem(f'<meta http-equiv="{equiv}">', equiv)
    yield from _shell_attribute_problems(node)


def page_problems(html: str, page: str, rules: ShellRules) -> list[Problem]:
    """Problems in one built HTML page; `page` is its path within the site."""
    tree = LexborHTMLParser(html)
    problems: list[Problem] = []
    in_content: set[int] = set()
    for article in tree.css(CONTENT):
        problems.extend(content_problems(article))
        in_content.update(node.mem_id for node in article.traverse(include_text=False))
    root = tree.root
    if root is None:
        return [Problem("the page has no document", "")]
    for node in root.traverse(include_text=False):
        if node.mem_id not in in_content and node.tag != "-comment":
            problems.extend(shell_problems(node, page, rules))
    return problems


def _xml_problems(svg: str) -> Iterator[Problem]:
    """The SVG as a browser reads an image/svg+xml file: XML, where HTML's parsing rules do not apply."""
    if "<!ENTITY" in svg or "<!DOCTYPE" in svg.upper():
        yield Problem("SVG with a DOCTYPE or entity declarations", "<!")
        return
    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError as error:
        yield Problem(f"SVG is not well-formed XML: {error}", "")
        return
    for element in root.iter():
        tag = str(element.tag).rpartition("}")[2].lower()
        if tag not in SVG_ELEMENTS and tag not in HTML_ELEMENTS:
            yield Problem(f"element <{tag}> is not allowed in an SVG file", f"<{tag}")
        for name, value in element.attrib.items():
            local = name.rpartition("}")[2].lower()
            if local.startswith("on"):
                yield Problem(f"event handler attribute {local}= in an SVG file", local)
            elif local == "href" and not value.strip().startswith("#"):
                yield Problem(f"href= in an SVG file points outside the drawing: {value[:40]}", value[:40])
        if tag == "style" and (problem := css_problem(element.text or "")):
            yield Problem(f"{problem} in an SVG <style>", "url(")


def svg_problems(svg: str) -> list[Problem]:
    problems = list(_xml_problems(svg))
    body = LexborHTMLParser(svg).body
    for child in body.iter(include_text=False) if body is not None else []:
        problems.extend(content_problems(child))
    return problems


SourceOf = Callable[[str], Path | None]


def _line_of(source: Path | None, needle: str) -> int:
    """The first line of `source` that holds `needle`, else 1: where to look for the problem."""
    if source is None or not needle or not source.is_file():
        return 1
    for number, line in enumerate(source.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if needle.lower() in line.lower():
            return number
    return 1


def _digest(path: Path) -> bytes:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).digest()


def file_problems(site: Path, page: str, rules: ShellRules) -> list[Problem]:
    """Problems in one built file (an HTML page or an SVG), `page` being its path within `site`."""
    path = site / page
    text = path.read_text(encoding="utf-8", errors="replace")
    return svg_problems(text) if path.suffix == ".svg" else page_problems(text, page, rules)


# From this many files on, the files are read by one process per core: a
# 1,000-note site spends ~4 s here on one core. Below it, starting the
# processes (spawned, not forked: `mkdocs serve` runs threads) costs more than it saves.
PARALLEL_FROM_FILES = 300


def _problems_of_each(site: Path, pages: list[str], rules: ShellRules) -> Iterator[list[Problem]]:
    workers = min(os.cpu_count() or 1, 8)
    if len(pages) < PARALLEL_FROM_FILES or workers < 2:
        yield from (file_problems(site, page, rules) for page in pages)
        return
    context = multiprocessing.get_context("spawn")
    # A hook finds scripts/ through a sys.meta_path finder, which a spawned
    # process does not inherit: put scripts/ on the workers' sys.path.
    scripts = str(Path(__file__).resolve().parent.parent)
    with ProcessPoolExecutor(workers, context, site_module.addsitedir, (scripts,)) as pool:
        chunk = max(1, len(pages) // (workers * 8))
        yield from pool.map(file_problems, repeat(site), pages, repeat(rules), chunksize=chunk)


def check_site(
    site: Path, source_of: SourceOf, rules: ShellRules, passed: dict[str, bytes] | None = None
) -> list[Finding]:
    """Every problem in the built site at `site`, each named by its source file (when known) and line.

    `passed`, kept by the caller from one build to the next (a live preview
    rebuilds the whole site for one edit), maps each file that passed to a digest
    of its bytes: a file with the same bytes is not read again, and the map is
    updated. Keep one map per set of rules."""
    findings: list[Finding] = []
    built = [*site.rglob("*.html"), *site.rglob("*.svg")]
    pages = sorted(path.relative_to(site).as_posix() for path in built)
    digests: dict[str, bytes] = {}
    if passed is not None:
        digests = {page: _digest(site / page) for page in pages}
        pages = [page for page in pages if passed.get(page) != digests[page]]
    for page, problems in zip(pages, _problems_of_each(site, pages, rules), strict=True):
        path = site / page
        if passed is not None:
            if problems:
                passed.pop(page, None)
            else:
                passed[page] = digests[page]
        source = source_of(page)
        for problem in problems:
            where = source if source is not None else path
            message = problem.message if source is None else f"{problem.message} (in {page})"
            findings.append(Finding(where, _line_of(source, problem.needle), message))
    return findings


def docs_source_of(root: Path) -> SourceOf:
    """Map a built file to the Markdown (or asset) under docs/ it came from, by MkDocs' URL rules."""
    docs = root / "docs"

    def source_of(page: str) -> Path | None:
        if page.endswith(".svg"):
            candidate = docs / page
            return candidate if candidate.is_file() else None
        stem = page.removesuffix("index.html").removesuffix(".html").rstrip("/")
        for candidate in (docs / f"{stem}.md", docs / stem / "index.md", docs / stem / "README.md"):
            if stem and candidate.is_file():
                return candidate
        return docs / "index.md" if page == "index.html" and (docs / "index.md").is_file() else None

    return source_of


def site_base_path(config: dict[str, object]) -> str:
    """The site's path on its host, from site_url, with slashes at both ends."""
    path = urlsplit(str(config.get("site_url") or "/")).path
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def extra_scripts(config: dict[str, object]) -> frozenset[str]:
    """The site-relative paths of mkdocs.yml's extra_javascript."""
    paths = set()
    for entry in config.get("extra_javascript") or []:  # type: ignore[union-attr]
        path = entry.get("path") if isinstance(entry, dict) else entry
        if isinstance(path, str) and not urlsplit(path).scheme and not path.startswith("//"):
            paths.add(path.lstrip("/"))
    return frozenset(paths)


def main(argv: list[str] | None = None) -> int:
    import argparse
    import sys

    from content.site_config import load_config

    repo_root = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(description="Check every HTML and SVG file of a built site.")
    parser.add_argument("site", type=Path, nargs="?", default=repo_root / "site", help="default: %(default)s")
    parser.add_argument("--root", type=Path, default=repo_root, help="repository root (default: %(default)s)")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"check_published: no built site in {args.site} (run `make build`)", file=sys.stderr)
        return 2
    config = load_config(args.root)
    rules = ShellRules(extra_scripts(config), site_base_path(config))
    findings = check_site(args.site, docs_source_of(args.root), rules)
    for finding in findings:
        print(finding, file=sys.stderr)
    print(f"published site: {'ok' if not findings else f'{len(findings)} problems'}")
    return 1 if findings else 0
