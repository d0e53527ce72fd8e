"""How long the renderer, and the browser it draws in, lives: one build, or a whole `serve`.

Starting Chromium takes 1.2-1.6 s; drawing a diagram takes about 30 ms. A
one-off build starts it on its first cache miss and closes it when the build
ends. A builder that rebuilds on every edit (MkDocs' `serve`) keeps it from its
first cache miss until the server exits, so an edited diagram is drawn in the
browser already running. A build whose settings differ from the last one's
(another Mermaid, stylesheet, font, or an edited renderer script) gets a new
renderer and browser, since the running page was set up with the old ones.

After each build that succeeded the cache is pruned (cache.py says of what).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from diagrams.cache import Pruned
from diagrams.renderer import DiagramRenderer, RenderStats
from diagrams.settings import RenderSettings


@dataclass(frozen=True)
class BuildReport:
    stats: RenderStats
    pruned: Pruned

    def summary(self) -> str | None:
        """One line for the build's log if anything was drawn, else None."""
        stats = self.stats
        if not stats.drawn:
            return None
        if stats.launches:
            browser = f"(Chromium started in {stats.launch_seconds:.1f} s)"
        else:
            browser = "in the Chromium kept from the last build"
        return (
            f"diagrams: {stats.drawn} drawn in {stats.drawing_seconds:.1f} s {browser}, "
            f"{stats.from_cache} from the cache"
        )


class DiagramSession:
    """The renderer across the builds of one process. `keep_browser`: keep the browser
    between builds (serve) instead of closing it at the end of each one."""

    def __init__(self, cache_dir: Path, *, keep_browser: bool = False) -> None:
        self.cache_dir = cache_dir
        self.keep_browser = keep_browser
        self._renderer: DiagramRenderer | None = None

    @property
    def renderer(self) -> DiagramRenderer:
        if self._renderer is None:
            raise RuntimeError("no build has started: call start_build() first")
        return self._renderer

    def start_build(self, settings: RenderSettings) -> DiagramRenderer:
        """The renderer for a build with `settings`: the last one, browser and all, if the
        settings are the same; else a new one (the last one is closed)."""
        if self._renderer is not None and self._renderer.fingerprint != settings.fingerprint():
            self.close()
        if self._renderer is None:
            self._renderer = DiagramRenderer(settings, self.cache_dir)
        else:
            self._renderer.stats = RenderStats()
        return self._renderer

    def finish_build(self) -> BuildReport:
        """After a build that succeeded: prune the cache, close the browser unless kept."""
        renderer = self.renderer
        report = BuildReport(renderer.stats, renderer.cache.prune())
        if not self.keep_browser:
            renderer.close()
        return report

    def build_failed(self) -> None:
        """After a build that failed: no pruning (the build may not have looked every
        diagram up); the browser is closed unless kept."""
        if self._renderer is not None and not self.keep_browser:
            self._renderer.close()

    def close(self) -> None:
        """Close the browser, if one is running, and forget the renderer."""
        renderer, self._renderer = self._renderer, None
        if renderer is not None:
            renderer.close()
