"""Render a page's Markdown to HTML as the site does: Python-Markdown with the
extensions and options of mkdocs.yml's `markdown_extensions`.

The gates that must agree with the renderer read this HTML instead of parsing
the Markdown with another parser (CommonMark reads `<svg/onload=...>` as text;
Python-Markdown writes it as HTML). MkDocs is not imported: the extension list
is read from mkdocs.yml, and the one `!!python/name:` value the site uses (a
fence formatter) is imported only from pymdownx.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import importlib
from pathlib import Path
from typing import Any

import markdown
import yaml

from content.site_config import _TolerantLoader

# `!!python/name:` values are imported only from these packages.
TRUSTED_MODULES = ("pymdownx.",)
PYTHON_NAME = "tag:yaml.org,2002:python/name:"


class PythonNameNotAllowed(ValueError):
    pass


class _ExtensionLoader(_TolerantLoader):
    """The tolerant loader, but `!!python/name:` from pymdownx imports the object."""


def _python_name(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if not suffix.startswith(TRUSTED_MODULES):
        raise PythonNameNotAllowed(f"!!python/name:{suffix} is not from {', '.join(TRUSTED_MODULES)}")
    module, _, name = suffix.rpartition(".")
    return getattr(importlib.import_module(module), name)


# First, so that it wins over the tolerant loader's catch-all for python/ tags.
_ExtensionLoader.yaml_multi_constructors = {
    PYTHON_NAME: _python_name,
    **_TolerantLoader.yaml_multi_constructors,
}


def markdown_settings(root: Path) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """mkdocs.yml's extensions, in order, and the options of each."""
    # A copy of what the text parsed to: callers may change what they get.
    return copy.deepcopy(_parsed_settings((root / "mkdocs.yml").read_text(encoding="utf-8")))


# The snippet hook asks for every page with a snippet, and parsing mkdocs.yml
# takes about 30 ms: parsed each time, 0.9 s of this site's 2.8 s rebuild under
# `make serve`. Keyed by the text, so an edited mkdocs.yml is parsed afresh.
@functools.lru_cache(maxsize=4)
def _parsed_settings(text: str) -> tuple[list[str], dict[str, dict[str, Any]]]:
    config = yaml.load(text, Loader=_ExtensionLoader)  # a SafeLoader subclass; imports only pymdownx
    extensions: list[str] = []
    options: dict[str, dict[str, Any]] = {}
    for entry in config.get("markdown_extensions") or []:
        if isinstance(entry, str):
            extensions.append(entry)
        elif isinstance(entry, dict):
            for name, settings in entry.items():
                extensions.append(name)
                options[name] = settings or {}
    return extensions, options


class PageRenderer:
    """Renders pages of the site at `root`; snippet paths resolve from `root`, as in a build."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.extensions, self.options = markdown_settings(root)

    def render(self, text: str) -> str:
        with contextlib.chdir(self.root):
            renderer = markdown.Markdown(extensions=self.extensions, extension_configs=self.options)
            return renderer.convert(_without_front_matter(text))


def _without_front_matter(text: str) -> str:
    """The Markdown after a leading `---` YAML block, with as many blank lines in its place."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return text
    for end, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return "\n" * (end + 1) + "\n".join(lines[end + 1 :])
    return text
