"""Fail the build when a published page or SVG breaks the markup policy
(logic in scripts/gates/published_html.py), naming the source of each problem.

Runs after every page is written, so it reads exactly what ships.
"""

from __future__ import annotations

from pathlib import Path

import scripts_root  # noqa: F401  (makes scripts/ importable; see scripts_root.py)
from gates.published_html import ShellRules, check_site, docs_source_of, extra_scripts, site_base_path
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

# Built page (path within the site) -> the Markdown it came from, for this build.
_sources: dict[str, Path] = {}
# Per set of rules, built file -> digest of the bytes that passed, kept across
# the rebuilds of `mkdocs serve`, where one edit rebuilds every page.
_passed: dict[ShellRules, dict[str, bytes]] = {}


def on_pre_build(config: MkDocsConfig) -> None:
    _sources.clear()


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if page.file.abs_src_path:
        _sources[page.file.dest_uri] = Path(page.file.abs_src_path)
    return output


def on_post_build(config: MkDocsConfig) -> None:
    fallback = docs_source_of(Path(config.config_file_path).parent)
    extra = extra_scripts({"extra_javascript": [str(script) for script in config.extra_javascript]})
    rules = ShellRules(extra, site_base_path({"site_url": config.site_url}))
    passed = _passed.setdefault(rules, {})
    site = Path(config.site_dir)
    findings = check_site(site, lambda page: _sources.get(page) or fallback(page), rules, passed)
    if findings:
        listed = "\n".join(f"  {finding}" for finding in findings)
        raise PluginError(
            f"the built site breaks the markup policy (scripts/gates/published_html.py):\n{listed}"
        )
