"""Turn Mermaid sources into SVG text: from the cache when it has them, else in Chromium.

The browser is launched on the first diagram the cache does not hold, and only
then, and draws every diagram after it until close() (session.py decides when:
at the end of a build, or when `serve` exits).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from diagrams.browser import DiagramPage
from diagrams.cache import DrawingCache
from diagrams.settings import RenderSettings
from diagrams.svg_safety import unsafe_markup


@dataclass(frozen=True)
class DiagramSource:
    """A diagram to draw: its Mermaid text, the id its SVG gets, and where it was written."""

    text: str
    diagram_id: str
    # The file the source was written in, and the line of its first source line there.
    path: Path
    first_line: int = 1


class DiagramError(Exception):
    """A diagram that cannot be drawn, with the file and line to fix."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


def diagram_id(text: str) -> str:
    """An id for a diagram's SVG, from its text: stable, so cached drawings stay valid."""
    return "mermaid-" + hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass
class RenderStats:
    from_cache: int = 0
    drawn: int = 0
    drawing_seconds: float = 0.0
    launch_seconds: float = 0.0
    launches: int = 0
    problems: list[str] = field(default_factory=list)


class DiagramRenderer:
    """Draws diagrams with `settings`, caching each SVG under `cache_dir`. Call close() when done."""

    def __init__(self, settings: RenderSettings, cache_dir: Path) -> None:
        self.settings = settings
        self.cache = DrawingCache(cache_dir)
        self.fingerprint = settings.fingerprint()
        self._page: DiagramPage | None = None
        self.stats = RenderStats()

    def cache_key(self, diagram: DiagramSource) -> str:
        digest = hashlib.sha256()
        for part in (self.fingerprint, diagram.diagram_id, diagram.text):
            digest.update(f"{len(part)}:{part}".encode())
        return digest.hexdigest()

    def render(self, diagram: DiagramSource) -> str:
        key = self.cache_key(diagram)
        cached = self.cache.get(key)
        if cached is not None:
            self.stats.from_cache += 1
            return cached
        svg = self._draw(diagram)
        self.cache.put(key, svg)
        return svg

    def _draw(self, diagram: DiagramSource) -> str:
        if self._page is None:
            started = time.perf_counter()
            self._page = DiagramPage(self.settings)
            self.stats.launches += 1
            self.stats.launch_seconds += time.perf_counter() - started
        started = time.perf_counter()
        # The seed comes from the text alone: the same diagram gets the same
        # random draws wherever it sits and whatever was drawn before it.
        seed = int.from_bytes(hashlib.sha256(diagram.text.encode()).digest()[:4], "big")
        try:
            drawing = self._page.draw(diagram.diagram_id, diagram.text, seed)
        except BaseException:
            # The browser crashed or was interrupted: the next diagram gets a new one.
            self.close()
            raise
        self.stats.drawing_seconds += time.perf_counter() - started
        self.stats.drawn += 1
        if drawing.svg is None:
            line = diagram.first_line + (drawing.line or 1) - 1
            message = (drawing.error or "Mermaid drew nothing").strip().splitlines()[0]
            raise DiagramError(diagram.path, line, message)
        problems = unsafe_markup(drawing.svg)
        if problems:
            raise DiagramError(
                diagram.path, diagram.first_line, "the drawing holds active content: " + ", ".join(problems)
            )
        return drawing.svg

    def close(self) -> None:
        if self._page is not None:
            self._page.close()
            self._page = None
