"""Read what the gates and the scaffold need from mkdocs.yml: the tag list and the nav.

mkdocs.yml carries a `!!python/name:` tag that a safe YAML loader refuses and
that must not be imported just to read the nav, so unknown tags load as plain
strings here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

TAGS_PLUGIN = "tags"


class _TolerantLoader(yaml.SafeLoader):
    """A safe loader that reads any unknown tag (`!!python/name:`, `!ENV`) as its text."""


def _construct_unknown(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_TolerantLoader.add_multi_constructor("!", _construct_unknown)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_unknown)


def load_config_text(text: str) -> dict[str, Any]:
    return yaml.load(text, Loader=_TolerantLoader)  # a SafeLoader subclass: no arbitrary objects


def load_config(root: Path) -> dict[str, Any]:
    return load_config_text((root / "mkdocs.yml").read_text(encoding="utf-8"))


def _plugin_options(config: dict[str, Any], name: str) -> dict[str, Any] | None:
    for entry in config.get("plugins", []):
        if entry == name:
            return {}
        if isinstance(entry, dict) and name in entry:
            return entry[name] or {}
    return None


def allowed_tags(config: dict[str, Any]) -> list[str]:
    """The controlled tag list: the `tags_allowed` option of the tags plugin."""
    options = _plugin_options(config, TAGS_PLUGIN)
    if options is None or not options.get("tags_allowed"):
        raise ValueError("mkdocs.yml has no tags plugin with a `tags_allowed` list")
    return list(options["tags_allowed"])


@dataclass(frozen=True)
class NavEntry:
    # The nav section title the page sits under, or None at the top level.
    section: str | None
    path: str  # relative to docs/, as written in the nav


def nav_entries(config: dict[str, Any]) -> list[NavEntry]:
    entries: list[NavEntry] = []

    def walk(items: list[Any], section: str | None) -> None:
        for item in items:
            if isinstance(item, str):
                entries.append(NavEntry(section, item))
            elif isinstance(item, dict):
                for title, value in item.items():
                    if isinstance(value, list):
                        walk(value, title)
                    elif isinstance(value, str) and "://" not in value:
                        entries.append(NavEntry(section, value))

    walk(config.get("nav") or [], None)
    return entries


def section_titles(config: dict[str, Any]) -> dict[str, str]:
    """Map each docs folder (a note section) to the title of the nav section holding its notes.

    A folder whose notes sit under several nav sections maps to the one holding most
    of them; the top level does not count as a section.
    """
    counts: dict[str, dict[str, int]] = {}
    for entry in nav_entries(config):
        folder = PurePosixPath(entry.path).parent.as_posix()
        if entry.section is None or folder == ".":
            continue
        by_title = counts.setdefault(folder, {})
        by_title[entry.section] = by_title.get(entry.section, 0) + 1
    return {folder: max(by_title, key=lambda title: by_title[title]) for folder, by_title in counts.items()}
