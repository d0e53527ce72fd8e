"""The font diagrams are measured and shown in: Roboto, from a pinned npm package.

Mermaid bakes box sizes into the SVG from the text widths it measures, so the
font must be the same at build time and in the reader's browser, whatever
fonts either machine has installed. The site publishes these files and
declares them in docs/assets/stylesheets/diagram-font.css.
"""

from __future__ import annotations

from pathlib import Path

from diagrams.settings import FontFace

FONT_PACKAGE = "@fontsource/roboto"
FONT_FAMILY = "Roboto"
# (weight, style) -> file in the package. Latin only: the site is in English.
FONT_FILES = {
    ("400", "normal"): "files/roboto-latin-400-normal.woff2",
    ("700", "normal"): "files/roboto-latin-700-normal.woff2",
}
# Where the site publishes them, beside assets/stylesheets/.
FONTS_IN_SITE = "assets/fonts"
# How Mermaid's configuration and the site's CSS name it.
CSS_FAMILY = f'"{FONT_FAMILY}", sans-serif'


def font_faces(package_dir: Path) -> tuple[FontFace, ...]:
    """The font's files in an installed copy of FONT_PACKAGE (node_modules/@fontsource/roboto)."""
    return tuple(
        FontFace(FONT_FAMILY, weight, style, package_dir / file)
        for (weight, style), file in FONT_FILES.items()
    )
