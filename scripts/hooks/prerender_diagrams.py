"""Put every Mermaid diagram in the page as SVG, drawn at build time: no Mermaid in the reader's browser.

A thin MkDocs adapter over scripts/diagrams/ (plain Python, no MkDocs): it
finds each `<pre class="mermaid">` block in a page's HTML, has the renderer
draw it (from the cache in .cache/diagrams/ when nothing changed) and puts
`<div class="mermaid"><svg ...></div>` in its place, which Material leaves
alone. The SVGs are styled by Material's palette variables, so they follow
the colour scheme toggle live.

Without Chromium, `mkdocs build` fails (the published site must never fall
back), but `mkdocs serve` on a contributor's machine (not in CI) previews with
node_modules' pinned Mermaid drawing in the browser, after a one-line notice.
"""

from __future__ import annotations

import importlib.util
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
from diagrams.browser import BrowserUnavailable, chromium_executable
from diagrams.font import CSS_FAMILY, FONT_FILES, FONT_PACKAGE, FONTS_IN_SITE, font_faces
from diagrams.html_blocks import mermaid_blocks, replace_blocks
from diagrams.material import page_settings
from diagrams.origins import origin_of, page_diagram_origins
from diagrams.renderer import DiagramError, DiagramRenderer, DiagramSource, diagram_id

log = get_plugin_logger(__name__)

CACHE_DIR = REPO_ROOT / ".cache" / "diagrams"
# The site's own diagram styles (the font variable), loaded when measuring too.
SITE_STYLESHEET = "assets/stylesheets/diagrams.css"
# Only for the preview without Chromium.
LIBRARY_IN_SITE = "assets/vendor/mermaid/mermaid.min.js"
INSTALL_CHROMIUM = "sudo apt-get install chromium"

_command = "build"
_renderer: DiagramRenderer | None = None


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def chromium_missing() -> str | None:
    """Why diagrams cannot be drawn here, or None if they can."""
    # Found, not imported: importing Playwright costs more than a warm build's diagrams.
    if importlib.util.find_spec("playwright") is None:
        return "the Python package playwright is not installed (run `make setup`)"
    if chromium_executable() is None:
        return f"Chromium is not installed ({INSTALL_CHROMIUM})"
    return None


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _renderer
    _close()
    missing = chromium_missing()
    if missing is not None:
        if _command != "serve" or in_ci():
            raise PluginError(f"diagrams are drawn at build time, but {missing}")
        log.info(f"{missing}: this preview draws diagrams in your browser with node_modules' Mermaid.")
        return config
    import material

    settings = page_settings(
        theme_dir=Path(material.__file__).resolve().parent,
        mermaid_script=pinned_file("mermaid", "dist/mermaid.min.js"),
        fonts=font_faces(pinned_file(FONT_PACKAGE, "package.json").parent),
        font_family=CSS_FAMILY,
        site_stylesheets=(Path(config.docs_dir) / SITE_STYLESHEET,),
    )
    _renderer = DiagramRenderer(settings, CACHE_DIR)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for file in FONT_FILES.values():
        publish(files, config, f"{FONTS_IN_SITE}/{Path(file).name}", pinned_file(FONT_PACKAGE, file))
    if _renderer is None:
        publish(files, config, LIBRARY_IN_SITE, pinned_file("mermaid", "dist/mermaid.min.js"))
    return files


def snippet_bases(config: MkDocsConfig) -> tuple[Path, ...]:
    """The folders `--8<--` paths are relative to (pymdownx.snippets' base_path, from the working folder)."""
    options = config.mdx_configs.get("pymdownx.snippets", {})
    bases = options.get("base_path", ["."])
    return tuple(Path(base).resolve() for base in ([bases] if isinstance(bases, str) else bases))


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if _renderer is None or '<pre class="mermaid">' not in html:
        return html
    blocks = mermaid_blocks(html)
    page_path = Path(page.file.abs_src_path or page.file.src_uri)
    drawings = {}
    seen: dict[str, int] = {}
    for block in blocks:
        # The id comes from the source; a diagram shown twice on a page gets a
        # second id, so no two elements of a page share one.
        base = diagram_id(block.source)
        seen[base] = seen.get(base, 0) + 1
        svg_id = base if seen[base] == 1 else f"{base}-{seen[base]}"
        try:
            svg = _renderer.render(DiagramSource(block.source, svg_id, page_path))
        except DiagramError as error:
            # Only now read where the diagram was written (parsing the page's
            # Markdown for it on every build would cost more than drawing).
            origins = page_diagram_origins(page_path, snippet_bases(config))
            path, first_line = origin_of(block.source, origins, page_path)
            where = f"{path}:{first_line + error.line - 1}"
            raise PluginError(f"a diagram cannot be drawn: {where}: {error.message}") from None
        except BrowserUnavailable as error:
            raise PluginError(f"diagrams are drawn at build time, but {error}") from None
        drawings[block.start] = f'<div class="mermaid">{svg}</div>'
    return replace_blocks(html, blocks, lambda block: drawings[block.start])


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if _renderer is not None:
        return output
    # The preview without Chromium: every page loads the library, as instant
    # navigation can bring a page with diagrams into any page.
    source = get_relative_url(LIBRARY_IN_SITE, page.url)
    head, body_end, tail = output.rpartition("</body>")
    return f'{head}<script src="{source}"></script>\n{body_end}{tail}'


def on_post_build(config: MkDocsConfig) -> None:
    if _renderer is not None:
        stats = _renderer.stats
        if stats.drawn:
            log.info(
                f"diagrams: {stats.drawn} drawn in {stats.drawing_seconds:.1f} s "
                f"(Chromium started in {stats.launch_seconds:.1f} s), {stats.from_cache} from the cache"
            )
        else:
            log.debug(f"diagrams: all {stats.from_cache} from the cache")
    _close()


def on_build_error(error: Exception) -> None:
    _close()


def on_shutdown() -> None:
    _close()


def _close() -> None:
    if _renderer is not None:
        _renderer.close()
