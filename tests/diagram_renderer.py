"""The renderer set up as the site's build sets it up, for tests that draw diagrams themselves."""

from __future__ import annotations

from pathlib import Path

import material
from diagrams.font import CSS_FAMILY, FONT_PACKAGE, font_faces
from diagrams.material import page_settings
from diagrams.renderer import DiagramRenderer
from diagrams.settings import RenderSettings
from site_build import REPO_ROOT

NODE_MODULES = REPO_ROOT / "node_modules"


def site_settings() -> RenderSettings:
    """What scripts/hooks/prerender_diagrams.py draws with."""
    return page_settings(
        theme_dir=Path(material.__file__).resolve().parent,
        mermaid_script=NODE_MODULES / "mermaid/dist/mermaid.min.js",
        fonts=font_faces(NODE_MODULES / FONT_PACKAGE),
        font_family=CSS_FAMILY,
        site_stylesheets=(REPO_ROOT / "docs/assets/stylesheets/diagrams.css",),
    )


def site_renderer(cache_dir: Path) -> DiagramRenderer:
    return DiagramRenderer(site_settings(), cache_dir)
