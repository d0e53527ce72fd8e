"""Put every Mermaid diagram in the page as SVG, drawn at build time: no Mermaid in the reader's browser.

A thin MkDocs adapter over scripts/diagrams/ (plain Python, no MkDocs): each
page's `<pre class="mermaid">` blocks become `<div class="mermaid"><svg ...></div>`
(diagrams/pages.py), drawn from the cache in .cache/diagrams/ when nothing
changed. Under `mkdocs serve` the browser that draws them stays open from the
first diagram drawn until the server stops (diagrams/session.py).

Without Chromium, `mkdocs build` fails (the published site must never fall
back), but `mkdocs serve` on a contributor's machine (not in CI) previews with
node_modules' pinned Mermaid drawing in the browser, after a one-line notice.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from pinned_npm import REPO_ROOT, pinned_file, publish

# The repository's top-level diagrams/ folder would shadow scripts/diagrams/ as
# a namespace package when the build runs from the repository root; put
# scripts/ first while this hook loads (MkDocs restores sys.path afterwards).
sys.path.insert(0, str(REPO_ROOT / "scripts"))
from diagrams.browser import BrowserUnavailable, unavailable_reason
from diagrams.cache import KEEP_DAYS
from diagrams.font import CSS_FAMILY, FONT_FILES, FONT_PACKAGE, FONTS_IN_SITE, font_faces
from diagrams.material import page_settings
from diagrams.pages import draw_page
from diagrams.renderer import DiagramError
from diagrams.session import DiagramSession

log = get_plugin_logger(__name__)

CACHE_DIR = REPO_ROOT / ".cache" / "diagrams"
# The site's own diagram styles (the font variable), loaded when measuring too.
SITE_STYLESHEET = "assets/stylesheets/diagrams.css"
# Only for the preview without Chromium.
LIBRARY_IN_SITE = "assets/vendor/mermaid/mermaid.min.js"

# MkDocs tells every build and gh-deploy its command (on_startup), but not a
# copy of this hook that `serve` loads afresh after an edit to scripts/
# (live_preview.py): such a copy is serving.
_command = "serve"
_session = DiagramSession(CACHE_DIR)
_drawing = False  # False: no Chromium, the serve preview draws in the reader's browser


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _drawing
    _session.keep_browser = _command == "serve"
    missing = unavailable_reason()
    _drawing = missing is None
    if missing is not None:
        _session.close()
        if _command != "serve" or in_ci():
            raise PluginError(f"diagrams are drawn at build time, but {missing}")
        log.info(f"{missing}: this preview draws diagrams in your browser with node_modules' Mermaid.")
        return config
    import material

    _session.start_build(
        page_settings(
            theme_dir=Path(material.__file__).resolve().parent,
            mermaid_script=pinned_file("mermaid", "dist/mermaid.min.js"),
            fonts=font_faces(pinned_file(FONT_PACKAGE, "package.json").parent),
            font_family=CSS_FAMILY,
            site_stylesheets=(Path(config.docs_dir) / SITE_STYLESHEET,),
        )
    )
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for file in FONT_FILES.values():
        publish(files, config, f"{FONTS_IN_SITE}/{Path(file).name}", pinned_file(FONT_PACKAGE, file))
    if not _drawing:
        publish(files, config, LIBRARY_IN_SITE, pinned_file("mermaid", "dist/mermaid.min.js"))
    return files


def snippet_bases(config: MkDocsConfig) -> tuple[Path, ...]:
    """The folders `--8<--` paths are relative to (pymdownx.snippets' base_path, from the working folder)."""
    options = config.mdx_configs.get("pymdownx.snippets", {})
    bases = options.get("base_path", ["."])
    return tuple(Path(base).resolve() for base in ([bases] if isinstance(bases, str) else bases))


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not _drawing:
        return html
    page_path = Path(page.file.abs_src_path or page.file.src_uri)
    try:
        return draw_page(html, page_path, _session.renderer, snippet_bases(config))
    except DiagramError as error:
        raise PluginError(f"a diagram cannot be drawn: {error}") from None
    except BrowserUnavailable as error:
        raise PluginError(f"diagrams are drawn at build time, but {error}") from None


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if _drawing:
        return output
    # The preview without Chromium: every page loads the library, as instant
    # navigation can bring a page with diagrams into any page.
    source = get_relative_url(LIBRARY_IN_SITE, page.url)
    head, body_end, tail = output.rpartition("</body>")
    return f'{head}<script src="{source}"></script>\n{body_end}{tail}'


def on_post_build(config: MkDocsConfig) -> None:
    if not _drawing:
        return
    report = _session.finish_build()
    if summary := report.summary():
        log.info(summary)
    if report.pruned.removed:
        log.info(f"diagrams: {report.pruned.removed} drawings unused for {KEEP_DAYS} days left the cache")


def on_build_error(error: Exception) -> None:
    _session.build_failed()


def on_shutdown() -> None:
    _session.close()
