"""Give every rendered diagram the accessible name its source declares (logic in
scripts/accessible_names/diagrams.py). Listed before prerender_diagrams.py, which
keeps the named figure around the drawn SVG."""

from __future__ import annotations

import scripts_root  # noqa: F401  (makes scripts/ importable; see scripts_root.py)
from accessible_names.diagrams import name_diagrams
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return name_diagrams(html)
