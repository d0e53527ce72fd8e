"""The renderer set up as the site's build sets it up, for tests that draw diagrams themselves."""

from __future__ import annotations

import os
import time
from pathlib import Path

from diagrams.cache import DAY_SECONDS
from diagrams.material import checkout_settings
from diagrams.renderer import DiagramRenderer
from diagrams.settings import RenderSettings
from site_build import REPO_ROOT


def site_settings() -> RenderSettings:
    """What scripts/hooks/prerender_diagrams.py draws with."""
    return checkout_settings(REPO_ROOT)


def site_renderer(cache_dir: Path) -> DiagramRenderer:
    return DiagramRenderer(site_settings(), cache_dir)


def age(path: Path, days: float) -> None:
    """Mark `path` last used `days` ago."""
    then = time.time() - days * DAY_SECONDS
    os.utime(path, (then, then))
