"""The built site passes the built-site check, and a build with hostile content
fails naming the page (scripts/hooks/check_published.py)."""

from __future__ import annotations

from pathlib import Path

from content.site_config import load_config
from gates.published_html import ShellRules, check_site, docs_source_of, extra_scripts, site_base_path
from site_build import REPO_ROOT, build_site


def test_the_built_site_passes(built_site: Path):
    config = load_config(REPO_ROOT)
    rules = ShellRules(extra_scripts(config), site_base_path(config))
    findings = check_site(built_site, docs_source_of(REPO_ROOT), rules)
    assert findings == [], "\n".join(map(str, findings))
    assert len(list(built_site.rglob("*.html"))) > 20


HOSTILE_SITE = """\
site_name: Hostile
site_url: https://example.org/hostile/
theme:
  name: material
markdown_extensions:
  - attr_list
  - md_in_html
hooks:
  - {hooks}/content_security_policy.py
  - {hooks}/check_published.py
"""


def test_the_build_fails_naming_the_page_python_markdown_turned_into_script(tmp_path: Path):
    """`<details/open/ontoggle=...>` is text to CommonMark but HTML to Python-Markdown:
    the build reads what was rendered, so it fails however the Markdown was read."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/index.md").write_text("# Home\n\nWelcome.\n", encoding="utf-8")
    note = tmp_path / "docs/note.md"
    note.write_text("# Note\n\nText.\n\n<details/open/ontoggle=alert(1)>\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(HOSTILE_SITE.format(hooks=REPO_ROOT / "scripts/hooks"), encoding="utf-8")
    result = build_site(tmp_path / "site", config)
    assert result.returncode != 0
    assert f"{note}:5: event handler attribute ontoggle= on <details> (in note/index.html)" in result.stderr
