"""Draw diagrams the way Material for MkDocs does in the browser, for its pages.

Material initialises Mermaid with its own `themeCSS`, whose colours are all its
palette's CSS variables (`--md-mermaid-*`, `--md-default-*`), so one SVG
follows the light, dark and system schemes live. This module reads that CSS
from the installed theme (so a Material upgrade brings its changes along),
adds the fixes that Mermaid 11 needs, and describes a page like Material's
content column to measure labels in. No MkDocs import: Zensical, Material's
successor, ships the same theme files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from diagrams.settings import STAGE_ID, FontFace, RenderSettings

# Where Material keeps its Mermaid themeCSS in the bundle's source map.
THEME_CSS_SOURCE = "components/content/mermaid/index.css"
# Mermaid 11 names sequence diagrams' markers `<svg id>-arrowhead` and so on;
# Material 9's themeCSS still targets `#arrowhead` and `#sequencenumber`, so in
# the dark scheme the arrowheads stay Mermaid's dark grey on a dark page.
MERMAID_11_FIXES = Path(__file__).resolve().parent / "material_mermaid11.css"
# Material's content column at its widest (61rem grid less two 12.1rem
# sidebars and the article's margins, at 20px a rem): labels wrap by
# Mermaid's own settings, but HTML labels are laid out inside this width.
CONTENT_WIDTH_PX = 732


def material_assets(theme_dir: Path) -> Path:
    return theme_dir / "templates" / "assets"


def theme_css(theme_dir: Path) -> str:
    """Material's Mermaid themeCSS, as its JavaScript bundle passes it to mermaid.initialize()."""
    maps = sorted((material_assets(theme_dir) / "javascripts").glob("bundle.*.min.js.map"))
    if len(maps) != 1:
        raise FileNotFoundError(f"expected one Material bundle source map in {theme_dir}, found {len(maps)}")
    source_map = json.loads(maps[0].read_text(encoding="utf-8"))
    for source, content in zip(source_map["sources"], source_map.get("sourcesContent") or [], strict=False):
        if source.endswith(THEME_CSS_SOURCE) and content:
            return content
    raise LookupError(f"{maps[0]} holds no {THEME_CSS_SOURCE}")


def stylesheets(theme_dir: Path) -> tuple[Path, ...]:
    """Material's main and palette stylesheets, as every page links them."""
    found = []
    for name in ("main", "palette"):
        matches = sorted((material_assets(theme_dir) / "stylesheets").glob(f"{name}.*.min.css"))
        if len(matches) != 1:
            raise FileNotFoundError(f"expected one Material {name} stylesheet in {theme_dir}")
        found.append(matches[0])
    return tuple(found)


def mermaid_config(theme_dir: Path, font_family: str) -> dict[str, Any]:
    """mermaid.initialize() options: Material's, plus the font labels are measured in."""
    return {
        "startOnLoad": False,
        "themeCSS": theme_css(theme_dir) + MERMAID_11_FIXES.read_text(encoding="utf-8"),
        # Material's: sequence text at the page's text size.
        "sequence": {"actorFontSize": "16px", "messageFontSize": "16px", "noteFontSize": "16px"},
        # Mermaid measures text (sequence messages, mindmap nodes) in this font
        # and names it in the SVG; Material's themeCSS then shows labels in
        # --md-mermaid-font-family, which the site sets to the same font.
        "fontFamily": font_family,
        # A broken diagram fails the build; it must not draw an error picture.
        "suppressErrorRendering": True,
    }


def page_settings(
    theme_dir: Path,
    mermaid_script: Path,
    fonts: tuple[FontFace, ...],
    font_family: str,
    site_stylesheets: tuple[Path, ...] = (),
) -> RenderSettings:
    """Settings to draw as Material would, in a page with Material's and the site's stylesheets."""
    return RenderSettings(
        mermaid_script=mermaid_script,
        mermaid_config=mermaid_config(theme_dir, font_family),
        stylesheets=stylesheets(theme_dir) + site_stylesheets,
        fonts=fonts,
        page_body=(
            '<div class="md-container"><main class="md-main"><div class="md-main__inner md-grid">'
            '<div class="md-content"><article class="md-content__inner md-typeset" '
            f'style="width: {CONTENT_WIDTH_PX}px"><div class="mermaid" id="{STAGE_ID}"></div>'
            "</article></div></div></main></div>"
        ),
        body_attributes={"dir": "ltr", "data-md-color-scheme": "default", "data-md-color-primary": "indigo"},
    )


def checkout_settings(repo_root: Path) -> RenderSettings:
    """What the build draws with, from a checkout's node_modules and stylesheets (for the
    benchmark and the tests; the build hook also checks the npm files against their pins)."""
    import material

    from diagrams.font import CSS_FAMILY, FONT_PACKAGE, font_faces

    node_modules = repo_root / "node_modules"
    return page_settings(
        theme_dir=Path(material.__file__).resolve().parent,
        mermaid_script=node_modules / "mermaid/dist/mermaid.min.js",
        fonts=font_faces(node_modules / FONT_PACKAGE),
        font_family=CSS_FAMILY,
        site_stylesheets=(repo_root / "docs/assets/stylesheets/diagrams.css",),
    )
