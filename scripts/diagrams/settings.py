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

IN_PAGE_SCRIPT = Path(__file__).resolve().parent / "in_page.js"
# Bump when the Python side changes what it does with a drawing (the in-page
# script is fingerprinted by its content).
RENDERER_VERSION = "1"
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

    def __post_init__(self) -> None:
        if f'id="{STAGE_ID}"' not in self.page_body:
            raise ValueError(f'page_body must hold an element with id="{STAGE_ID}"')

    def fingerprint(self) -> str:
        """A digest of everything here that can change a drawing."""
        digest = hashlib.sha256()

        def add(label: str, data: bytes) -> None:
            digest.update(f"{label}:{len(data)}:".encode())
            digest.update(data)

        add("renderer", RENDERER_VERSION.encode())
        add("in-page", IN_PAGE_SCRIPT.read_bytes())
        add("mermaid", self.mermaid_script.read_bytes())
        add("config", json.dumps(self.mermaid_config, sort_keys=True).encode())
        for stylesheet in self.stylesheets:
            add("stylesheet", stylesheet.read_bytes())
        for font in self.fonts:
            add("font", f"{font.family}|{font.weight}|{font.style}".encode())
            add("font-file", font.path.read_bytes())
        add("body", self.page_body.encode())
        add("body-attributes", json.dumps(self.body_attributes, sort_keys=True).encode())
        return digest.hexdigest()
