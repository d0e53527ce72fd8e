"""How long the diagram renderer's browser lives (scripts/diagrams/session.py), and when the cache
is pruned. The browser here is a stand-in that counts launches and closes;
tests/test_diagram_hook.py runs `mkdocs serve` with the real one."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import ClassVar

import diagrams.renderer
import pytest
from diagram_renderer import age
from diagrams.browser import Drawing
from diagrams.cache import KEEP_DAYS
from diagrams.renderer import DiagramSource, diagram_id
from diagrams.session import DiagramSession
from diagrams.settings import RenderSettings


class CountingPage:
    """Stands in for DiagramPage (Chromium): draws a trivial SVG and counts what happens."""

    launched: ClassVar[list[CountingPage]] = []

    def __init__(self, settings: RenderSettings) -> None:
        self.closed = False
        CountingPage.launched.append(self)

    def draw(self, diagram_id: str, source: str, seed: int) -> Drawing:
        assert not self.closed, "drew in a closed browser"
        return Drawing(svg=f'<svg id="{diagram_id}"><text>{len(source)}</text></svg>')

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def counting_page(monkeypatch: pytest.MonkeyPatch) -> type[CountingPage]:
    CountingPage.launched = []
    monkeypatch.setattr(diagrams.renderer, "DiagramPage", CountingPage)
    return CountingPage


@pytest.fixture
def settings(tmp_path: Path) -> RenderSettings:
    script = tmp_path / "mermaid.min.js"
    script.write_text("// mermaid")
    return RenderSettings(mermaid_script=script, mermaid_config={"startOnLoad": False})


def diagram(text: str) -> DiagramSource:
    return DiagramSource(text, diagram_id(text), Path("diagrams/x.mmd"))


def build(session: DiagramSession, settings: RenderSettings, *texts: str):
    renderer = session.start_build(settings)
    for text in texts:
        renderer.render(diagram(text))
    return session.finish_build()


def test_serve_keeps_one_browser_across_rebuilds_until_it_closes(counting_page, settings, tmp_path: Path):
    session = DiagramSession(tmp_path / "cache", keep_browser=True)
    first = build(session, settings, "flowchart LR\n  A --> B\n")
    # An edit: one diagram the cache does not hold, drawn in the browser already running.
    second = build(session, settings, "flowchart LR\n  A --> B\n", "flowchart LR\n  A --> C\n")
    # Nothing new: the browser is not even needed.
    third = build(session, settings, "flowchart LR\n  A --> C\n")
    assert len(counting_page.launched) == 1 and not counting_page.launched[0].closed
    assert (first.stats.launches, first.stats.drawn) == (1, 1)
    assert (second.stats.launches, second.stats.drawn, second.stats.from_cache) == (0, 1, 1)
    assert (third.stats.drawn, third.stats.from_cache) == (0, 1)
    assert second.summary().endswith("in the Chromium kept from the last build, 1 from the cache")
    assert third.summary() is None
    session.close()
    assert counting_page.launched[0].closed


def test_a_build_closes_its_browser_at_the_end(counting_page, settings, tmp_path: Path):
    session = DiagramSession(tmp_path / "cache", keep_browser=False)
    build(session, settings, "flowchart LR\n  A --> B\n")
    build(session, settings, "flowchart LR\n  A --> C\n")
    assert len(counting_page.launched) == 2
    assert all(page.closed for page in counting_page.launched)


def test_other_settings_get_a_new_browser(counting_page, settings, tmp_path: Path):
    """The running page was set up with the old Mermaid, stylesheets and scripts."""
    session = DiagramSession(tmp_path / "cache", keep_browser=True)
    build(session, settings, "flowchart LR\n  A --> B\n")
    settings.mermaid_script.write_text("// mermaid, upgraded")
    build(session, settings, "flowchart LR\n  A --> B\n")
    assert [page.closed for page in counting_page.launched] == [True, False]
    fewer_steps = dataclasses.replace(settings, slimming=("styles",))
    build(session, fewer_steps, "flowchart LR\n  A --> B\n")
    assert [page.closed for page in counting_page.launched] == [True, True, False]
    session.close()


def test_a_failed_build_keeps_the_serve_browser_and_closes_a_builds(counting_page, settings, tmp_path: Path):
    for keep in (True, False):
        session = DiagramSession(tmp_path / f"cache-{keep}", keep_browser=keep)
        session.start_build(settings).render(diagram(f"flowchart LR\n  A --> {keep}\n"))
        session.build_failed()
        assert counting_page.launched[-1].closed is not keep
        session.close()


def test_a_browser_that_fails_mid_drawing_is_replaced(counting_page, settings, tmp_path: Path, monkeypatch):
    session = DiagramSession(tmp_path / "cache", keep_browser=True)
    renderer = session.start_build(settings)
    renderer.render(diagram("flowchart LR\n  A --> B\n"))

    def crash(*args: object) -> Drawing:
        raise RuntimeError("Target page, context or browser has been closed")

    monkeypatch.setattr(counting_page.launched[0], "draw", crash)
    with pytest.raises(RuntimeError):
        renderer.render(diagram("flowchart LR\n  A --> C\n"))
    assert counting_page.launched[0].closed
    renderer.render(diagram("flowchart LR\n  A --> D\n"))
    assert len(counting_page.launched) == 2
    session.close()


def test_a_session_prunes_after_a_build_that_succeeded_only(counting_page, settings, tmp_path: Path):
    session = DiagramSession(tmp_path / "cache")
    stale = tmp_path / "cache/ab/ab00.svg"
    stale.parent.mkdir(parents=True)
    stale.write_text("<svg>an edited diagram's old drawing</svg>")
    age(stale, KEEP_DAYS + 1)
    session.start_build(settings).render(diagram("flowchart LR\n  A --> B\n"))
    session.build_failed()
    assert stale.exists()
    report = build(session, settings, "flowchart LR\n  A --> B\n")
    assert not stale.exists()
    assert (report.pruned.removed, report.pruned.kept) == (1, 1)
