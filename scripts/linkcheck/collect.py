"""Find every external URL in the site's Markdown (and mkdocs.yml), with file and line.

Markdown is parsed with markdown-it-py, so links in code spans and code blocks
are never seen as references, and bare URLs are found by linkify with the same
rules GitHub uses. Material's admonitions (`!!! note`) are parsed too: without
the plugin their indented bodies would read as code blocks and be skipped.
"""

from __future__ import annotations

import contextlib
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from linkcheck.verdict import Source

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# Bumped whenever what a file yields changes, so remembered parses from older code are not reused.
PARSER_VERSION = 1

EXTERNAL_SCHEMES = ("http://", "https://")
MARKDOWN_SUFFIXES = (".md", ".markdown")
YAML_SUFFIXES = (".yml", ".yaml")


# What reading one file gives: its external links as (1-based line, URL), or the one-line
# problem that stopped it.
Found = list[tuple[int, str]] | str


@dataclass
class Collected:
    """URLs in first-seen order, each with every place it occurs, plus files that could not be read."""

    urls: dict[str, list[Source]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def add(self, url: str, source: Source) -> None:
        self.urls.setdefault(url, []).append(source)


# Characters markdown-it's link normalisation never changes (mdurl's default set, less `%`,
# whose escapes it checks): a URL made only of these is returned as it is, unparsed.
_UNCHANGED_BY_NORMALISATION = frozenset(string.ascii_letters + string.digits + ";/?:@&=+$,-_.!~*'()#")


def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.admon import admon_plugin
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("gfm-like", {"linkify": True})
    for plugin in (admon_plugin, deflist_plugin, footnote_plugin, front_matter_plugin):
        md.use(plugin)
    # Emphasis and strike-through only pair up delimiters after links are found: they never
    # change a URL, and balancing them was a quarter of the parse time (profiled).
    md.disable(["emphasis", "strikethrough"])
    normalize = md.normalizeLink

    def normalize_link(url: str) -> str:
        # The full normalisation (parse, punycode, encode) is most of the time a warm run spends.
        return url if _UNCHANGED_BY_NORMALISATION.issuperset(url) else normalize(url)

    md.normalizeLink = normalize_link
    return md


_MARKDOWN: MarkdownIt | None = None


class ParseMemo(Protocol):
    """Remembers each file's URLs by a stamp of its size and modification time (the cache does)."""

    def parsed(self, name: str, stamp: str) -> list[tuple[int, str]] | None: ...
    def remember_parsed(self, name: str, stamp: str, found: list[tuple[int, str]]) -> None: ...


def _html_urls(html: str) -> Iterator[tuple[int, str]]:
    from linkcheck.html_links import HtmlLinks  # most Markdown has no raw HTML: parsed on first use

    parser = HtmlLinks()
    parser.feed(html)
    parser.close()
    yield from parser.found


def _inline_urls(inline: Token, first_line: int) -> Iterator[tuple[int, str]]:
    line = first_line
    for child in inline.children or []:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "link_open":
            yield line, str(child.attrs.get("href", ""))
        elif child.type == "image":
            yield line, str(child.attrs.get("src", ""))
        elif child.type == "html_inline":
            for offset, url in _html_urls(child.content):
                yield line + offset, url
        elif child.type == "text":
            line += child.content.count("\n")


def markdown_urls(text: str) -> list[tuple[int, str]]:
    """(1-based line, URL) for every link target in a Markdown text, external or not."""
    global _MARKDOWN
    if _MARKDOWN is None:
        _MARKDOWN = _parser()  # built on first use: a run whose files are all remembered never imports it
    env: dict = {}
    found: list[tuple[int, str]] = []
    for token in _MARKDOWN.parse(text, env):
        start = token.map[0] + 1 if token.map else 1
        if token.type == "inline":
            found.extend(_inline_urls(token, start))
        elif token.type == "html_block":
            found.extend((start + offset, url) for offset, url in _html_urls(token.content))
    # A reference definition that no link uses is still a reference a reader may follow.
    used = {url for _, url in found}
    for ref in env.get("references", {}).values():
        href = ref.get("href", "")
        if href and href not in used:
            found.append(((ref.get("map") or [0])[0] + 1, href))
    return found


def yaml_urls(text: str) -> Iterator[tuple[int, str]]:
    """(1-based line, value) for every scalar in a YAML file; composing, not constructing,
    so tags like mkdocs.yml's `!!python/name:` are never executed or even resolved."""
    import yaml  # only for YAML files: most runs never need it

    try:
        stack = [yaml.compose(text, Loader=yaml.SafeLoader)]
    except yaml.YAMLError as error:
        raise ValueError(str(error).splitlines()[0]) from None
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if isinstance(node, yaml.ScalarNode):
            yield node.start_mark.line + 1, str(node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.extend([value, key])


def is_external(url: str) -> bool:
    return url.lower().startswith(EXTERNAL_SCHEMES)


def _files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in MARKDOWN_SUFFIXES
            )
        else:
            yield path


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def input_files(paths: Iterable[Path]) -> list[Path]:
    """The files a run reads, in the order it reads them (folders: their Markdown, sorted)."""
    return list(_files(paths))


def input_size(files: Iterable[Path]) -> int:
    """Bytes in `files` (those that can be read): known before any is parsed, a run's likely size."""
    total = 0
    for path in files:
        with contextlib.suppress(OSError):  # reported as a problem when it is read
            total += path.stat().st_size
    return total


@dataclass
class InputFile:
    """One file a run reads: its name in reports, where it is, and its stamp for the parse memo
    (or the problem that already stops it from being read)."""

    name: str
    path: Path
    stamp: str = ""
    problem: str = ""


def plan_input(files: Iterable[Path], root: Path) -> list[InputFile]:
    """`files` with their names and stamps, in the order a run reads them."""
    planned = []
    for path in files:
        name = _display(path, root)
        try:
            status = path.stat()
        except OSError:
            planned.append(InputFile(name, path, problem=f"{name}: no such file or folder"))
            continue
        planned.append(InputFile(name, path, stamp=f"{PARSER_VERSION}:{status.st_mtime_ns}:{status.st_size}"))
    return planned


def parse_file(name: str, path: Path) -> Found:
    """(line, URL) of each external link in one file, or the one-line problem that stopped it."""
    try:
        return external_urls(name, path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        return f"{name}: not UTF-8 text ({error.reason} at byte {error.start})"
    except OSError as error:
        return f"{name}: cannot read ({error.strerror or error})"
    except ValueError as error:
        return f"{name}: not valid YAML ({error})"


def merge_file(collected: Collected, name: str, found: Found) -> list[str]:
    """Add one file's URLs (or its problem) to `collected`; the URLs it saw first."""
    if isinstance(found, str):
        collected.problems.append(found)
        return []
    new: list[str] = []
    for line, url in found:
        if url not in collected.urls:
            new.append(url)
        collected.add(url, Source(name, line))
    return new


def collect_steps(
    files: Iterable[Path], root: Path, collected: Collected, memo: ParseMemo | None = None
) -> Iterator[list[str]]:
    """Collect `files` one at a time into `collected`, yielding after each the URLs first seen in
    it, so a consumer can check those while the next file is parsed. A file that cannot be read
    or parsed becomes one problem line, and the rest are still collected. With a memo, a file
    unchanged since it was last parsed is not parsed again."""
    for file in plan_input(files, root):
        if file.problem:
            collected.problems.append(file.problem)
            continue
        found = memo.parsed(file.name, file.stamp) if memo else None
        if found is None:
            found = parse_file(file.name, file.path)
            if memo and not isinstance(found, str):
                memo.remember_parsed(file.name, file.stamp, found)
        yield merge_file(collected, file.name, found)


def collect_links(paths: Iterable[Path], root: Path, memo: ParseMemo | None = None) -> Collected:
    """Every external URL under `paths` (files or folders of Markdown), all files at once."""
    collected = Collected()
    for _ in collect_steps(_files(paths), root, collected, memo):
        pass
    return collected


def external_urls(name: str, text: str) -> list[tuple[int, str]]:
    """(line, URL) of each external link in one file's text; its name's suffix says Markdown or YAML.
    A YAML file that does not parse raises ValueError."""
    found = yaml_urls(text) if name.lower().endswith(YAML_SUFFIXES) else markdown_urls(text)
    return [(line, url.strip()) for line, url in found if is_external(url.strip())]


def collect_text(name: str, text: str, collected: Collected) -> None:
    """Add the external URLs of one file's text to `collected`."""
    try:
        found = external_urls(name, text)
    except ValueError as error:
        collected.problems.append(f"{name}: not valid YAML ({error})")
        return
    for line, url in found:
        collected.add(url, Source(name, line))
