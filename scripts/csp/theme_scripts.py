"""Material's own inline scripts, read from the installed theme's templates.

Material writes a few small scripts inline (its storage helpers, the palette
restore, the tab restore). They are the only inline scripts a page may carry:
the Content-Security-Policy allows them by hash, and the built-site check
refuses any other. Each template script becomes a pattern in which a Jinja
expression (`{{ base_url }}`) may stand for any text without a quote, an angle
bracket or a backslash, so a page's copy is recognised whatever its path.
"""

from __future__ import annotations

import functools
import re
from importlib.resources import files
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

JINJA_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.S)
# What a Jinja expression in a theme script renders to: a path or a URL.
FILLED = r"[^\"'<>\\\s]*"


def theme_templates() -> Path:
    """Material's page scripts: its partials/javascripts/ folder. Not its analytics
    integration (a loader for an off-site tracker) nor redirect.html (which writes
    a page's front matter into a script)."""
    return Path(str(files("material") / "templates" / "partials" / "javascripts"))


def template_scripts(templates: Path) -> list[str]:
    """The text of every inline, executable <script> in the theme's templates."""
    scripts: list[str] = []
    for template in sorted(templates.rglob("*.html")):
        for node in LexborHTMLParser(template.read_text(encoding="utf-8")).css("script"):
            if "src" in node.attributes or node.attributes.get("type") == "application/json":
                continue
            text = node.text(deep=True)
            if text.strip():
                scripts.append(text)
    return scripts


def _pattern(script: str) -> re.Pattern[str]:
    literal_parts = JINJA_EXPRESSION.split(script)
    return re.compile(FILLED.join(re.escape(part) for part in literal_parts))


@functools.cache
def theme_script_patterns(templates: Path | None = None) -> tuple[re.Pattern[str], ...]:
    return tuple(_pattern(script) for script in template_scripts(templates or theme_templates()))


def is_theme_script(text: str) -> bool:
    """Whether `text`, the whole body of an inline script, is one of Material's own."""
    return any(pattern.fullmatch(text) for pattern in theme_script_patterns())
