"""The font diagrams are measured and shown in: Roboto, from a pinned npm package.

Mermaid bakes box sizes into the SVG from the text widths it measures, so the
font must be the same at build time and in the reader's browser, whatever
fonts either machine has installed. The site publishes these files and
declares them in docs/assets/stylesheets/diagram-font.css.
"""

from __future__ import annotations

FONT_PACKAGE = "@fontsource/roboto"
FONT_FAMILY = "Roboto"
# (weight, style) -> file in the package. Latin only: the site is in English.
FONT_FILES = {
    ("400", "normal"): "files/roboto-latin-400-normal.woff2",
    ("700", "normal"): "files/roboto-latin-700-normal.woff2",
}
# Where the site publishes them, beside assets/stylesheets/.
FONTS_IN_SITE = "assets/fonts"
