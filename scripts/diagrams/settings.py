"""What a drawing depends on besides its source: the inputs of every render, and their fingerprint.

Two renders with equal settings and equal source give the same SVG, so the
fingerprint (with the source) is the cache key: change Mermaid, its
configuration, the page's stylesheets or the font, and every diagram is drawn
again; change nothing and none is.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# The scripts the drawing page runs, in order (in_page.js uses the others).
IN_PAGE_SCRIPTS = tuple(
    HERE / name for name in ("svg_defs.js", "svg_styles.js", "svg_geometry.js", "in_page.js")
)
# The renderer's own code that shapes a drawing: the in-page scripts, how
# Chromium is started and the page built (browser.py: flags, fontconfig,
# viewport), and the id and random seed each diagram gets (renderer.py). Part
# of the fingerprint by content, so editing any of them draws every diagram
# again, with no version number to remember to bump.
DRAWING_CODE = (*IN_PAGE_SCRIPTS, HERE / "browser.py", HERE / "renderer.py", HERE / "settings.py")
# What is taken out of each drawing, in this order, without changing what it
# shows (see in_page.js): unused markers and symbols, unused style rules,
# invisible decimals. Settings with fewer are for measuring what each saves.
SLIMMING = ("definitions", "styles", "geometry")
# The element of `page_html` that each diagram is drawn in, so that its labels
# are measured with the styles they will be shown with.
STAGE_ID = "diagram-stage"


@dataclass(frozen=True)
class FontFace:
    """A font file the page loads before drawing: labels are measured in it."""

    family: str
    weight: str
    style: str
    path: Path


@dataclass(frozen=True)
class RenderSettings:
    # The Mermaid library (mermaid.min.js), as the site would load it.
    mermaid_script: Path
    # Passed to mermaid.initialize(); JSON only.
    mermaid_config: dict[str, Any]
    # Stylesheets of the page that will show the diagrams, in order.
    stylesheets: tuple[Path, ...] = ()
    fonts: tuple[FontFace, ...] = ()
    # The page's <body>: must hold an element with id STAGE_ID.
    page_body: str = f'<div id="{STAGE_ID}"></div>'
    # Attributes of <body>, e.g. the colour scheme the page starts in.
    body_attributes: dict[str, str] = field(default_factory=dict)
    # Steps of SLIMMING to apply to each drawing.
    slimming: tuple[str, ...] = SLIMMING

    def __post_init__(self) -> None:
        if f'id="{STAGE_ID}"' not in self.page_body:
            raise ValueError(f'page_body must hold an element with id="{STAGE_ID}"')
        if unknown := set(self.slimming) - set(SLIMMING):
            raise ValueError(f"unknown slimming steps: {sorted(unknown)}")

    def fingerprint(self) -> str:
        """A digest of everything here that can change a drawing."""
        digest = hashlib.sha256()

        def add(label: str, data: bytes) -> None:
            digest.update(f"{label}:{len(data)}:".encode())
            digest.update(data)

        for code in DRAWING_CODE:
            add(f"code:{code.name}", code.read_bytes())
        add("mermaid", self.mermaid_script.read_bytes())
        add("config", json.dumps(self.mermaid_config, sort_keys=True).encode())
        for stylesheet in self.stylesheets:
            add("stylesheet", stylesheet.read_bytes())
        for font in self.fonts:
            add("font", f"{font.family}|{font.weight}|{font.style}".encode())
            add("font-file", font.path.read_bytes())
        add("body", self.page_body.encode())
        add("body-attributes", json.dumps(self.body_attributes, sort_keys=True).encode())
        add("slimming", json.dumps(self.slimming).encode())
        return digest.hexdigest()
