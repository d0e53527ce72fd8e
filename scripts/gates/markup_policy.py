"""What HTML a note may contain once rendered: an allowlist of elements, attributes
and URL schemes, applied to a tree from an HTML5 parser (Lexbor, via selectolax),
which reads markup the way a browser does.

Both the built-site check (published_html.py) and the rendered-Markdown gate
(rendered_markup.py) apply it, so what a contributor is told before the build is
what the build itself enforces. Anything not listed is refused: a new element
or attribute is a decision to make here, in review, not a default.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

# Elements a note renders to: Python-Markdown and its extensions (tables,
# footnotes, abbreviations, definition lists, admonitions, details, task lists,
# attribute lists, highlighting), Material's article furniture (edit button,
# tags, revision date), and inline SVG for diagrams and icons.
HTML_ELEMENTS = frozenset(
    {
        "a", "abbr", "article", "aside", "b", "blockquote", "br", "caption", "cite", "code", "col",
        "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd", "label", "li",
        "mark", "nav", "ol", "p", "picture", "pre", "q", "s", "samp", "small", "source", "span",
        "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time",
        "tr", "u", "ul", "var", "wbr",
    }
)  # fmt: skip
SVG_ELEMENTS = frozenset(
    {
        "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text",
        "tspan", "textpath", "defs", "marker", "title", "desc", "style", "clippath", "mask",
        "lineargradient", "radialgradient", "stop", "symbol", "use", "pattern", "foreignobject",
        "switch", "filter", "fegaussianblur", "feoffset", "feblend", "feflood", "fecomposite",
        "femerge", "femergenode", "fecolormatrix", "fedropshadow",
    }
)  # fmt: skip
# Any element may carry these; `aria-*` and `data-*` are allowed by prefix.
GLOBAL_ATTRIBUTES = frozenset(
    {"id", "class", "title", "lang", "dir", "role", "tabindex", "hidden", "style", "xmlns"}
)
HTML_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "rel", "name", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"}),
    "source": frozenset({"srcset", "type", "media", "sizes", "width", "height"}),
    "input": frozenset({"type", "checked", "disabled"}),
    "label": frozenset({"for"}),
    "td": frozenset({"align", "colspan", "rowspan", "headers"}),
    "th": frozenset({"align", "colspan", "rowspan", "headers", "scope", "abbr"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "details": frozenset({"open"}),
    "time": frozenset({"datetime"}),
    "del": frozenset({"datetime", "cite"}),
    "ins": frozenset({"datetime", "cite"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
}
# SVG has too many presentation attributes to list; instead every attribute that
# takes a URL is checked, and those that run or load things are refused outright.
SVG_REFUSED_ATTRIBUTES = frozenset({"attributename", "begin", "end", "values", "from", "to", "by"})
URL_ATTRIBUTES = frozenset(
    {"href", "src", "xlink:href", "action", "formaction", "poster", "data", "background", "cite",
     "ping", "longdesc", "usemap", "manifest", "codebase", "srcset", "imagesrcset"}
)  # fmt: skip
# Where a link may go; where an embedded resource may come from is stricter.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
INPUT_TYPES = frozenset({"checkbox"})
# CSS that loads or runs something; `url(#id)` (a marker or gradient in the same
# drawing) is the one url() allowed, and a backslash is refused because a CSS
# escape (`\\75rl(`) spells any of these without its letters.
CSS_REFUSED = ("@import", "expression(", "javascript:", "image-set(", "-moz-binding", "behavior:", "\\")


@dataclass(frozen=True)
class Problem:
    message: str
    # Text to look for in the source, to say on which line the problem was written.
    needle: str


def _describe(node: LexborNode) -> str:
    return f"<{node.tag.lower()}>"


# Control characters, space and DEL, deleted by str.translate (in C: this runs on
# every attribute value of every published page, SVG path data included).
_SQUASHED_OUT = dict.fromkeys([*range(0x21), 0x7F])


def _squash(value: str) -> str:
    """The URL as a browser reads it: control characters and white space inside the scheme drop out."""
    return value.translate(_SQUASHED_OUT).lower()


def url_problem(value: str, *, embedded: bool) -> str | None:
    """Why `value` is refused as a URL, or None. `embedded`: a resource the page loads (img src)."""
    squashed = _squash(value)
    if squashed.startswith(("javascript:", "vbscript:", "data:", "blob:", "file:", "filesystem:")):
        return f"{squashed.split(':', 1)[0]}: URL"
    if squashed.startswith(("//", "\\\\", "/\\", "\\/")):
        return "URL to another host (scheme-relative)"
    scheme = urlsplit(value.strip()).scheme.lower()
    if embedded:
        if scheme or ":" in squashed.split("/", 1)[0]:
            return "external resource"
        return None
    if scheme and scheme not in LINK_SCHEMES:
        return f"{scheme}: URL"
    return None


def css_problem(css: str) -> str | None:
    lowered = _squash(css)
    for refused in CSS_REFUSED:
        if refused in lowered:
            return f"CSS with {refused.rstrip('(:')}"
    for target in lowered.split("url(")[1:]:
        if not target.lstrip("'\"").startswith("#"):
            return "CSS url() to a resource outside the drawing"
    return None


def srcset_urls(value: str) -> list[str]:
    return [candidate.split()[0] for candidate in value.split(",") if candidate.split()]


def attribute_problems(node: LexborNode, in_svg: bool) -> Iterator[Problem]:
    tag = node.tag.lower()
    for raw_name, raw_value in node.attributes.items():
        name = raw_name.lower()
        value = raw_value or ""
        if name.startswith("on"):
            yield Problem(f"event handler attribute {name}= on {_describe(node)}", raw_name)
            continue
        if name == "style":
            if problem := css_problem(value):
                yield Problem(f"{problem} in style= on {_describe(node)}", value[:40])
            continue
        if in_svg:
            if name in SVG_REFUSED_ATTRIBUTES or (name.startswith("xmlns:") and name != "xmlns:xlink"):
                yield Problem(f"attribute {name}= on SVG {_describe(node)}", raw_name)
            elif name in ("href", "xlink:href") and not value.strip().startswith("#"):
                if tag == "a" and not url_problem(value, embedded=False):
                    continue
                yield Problem(f"{name}= on SVG {_describe(node)} points outside the drawing", value[:40])
            elif name in URL_ATTRIBUTES and (problem := url_problem(value, embedded=True)):
                yield Problem(f"{problem} in {name}= on {_describe(node)}", value[:40])
            elif "url(" in _squash(value) and (problem := css_problem(value)):
                yield Problem(f"{problem} in {name}= on SVG {_describe(node)}", value[:40])
            continue
        allowed = name in GLOBAL_ATTRIBUTES or name.startswith(("aria-", "data-"))
        if not allowed and name not in HTML_ATTRIBUTES.get(tag, frozenset()):
            yield Problem(f"attribute {name}= is not allowed on {_describe(node)}", raw_name)
            continue
        if name in ("srcset", "imagesrcset"):
            for url in srcset_urls(value):
                if problem := url_problem(url, embedded=True):
                    yield Problem(f"{problem} in {name}= on {_describe(node)}", url[:40])
        elif name in URL_ATTRIBUTES:
            embedded = not (tag == "a" and name == "href") and name != "cite"
            if problem := url_problem(value, embedded=embedded):
                yield Problem(f"{problem} in {name}= on {_describe(node)}", value[:40])
        elif tag == "input" and name == "type" and value.lower() not in INPUT_TYPES:
            yield Problem(f"<input type={value}> (only task-list checkboxes)", value)


def _in_svg(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag.lower() == "svg":
            return True
        if parent.tag.lower() == "foreignobject":
            return False
        parent = parent.parent
    return False


def content_problems(root: LexborNode) -> Iterator[Problem]:
    """Everything in the subtree under `root` (a note's rendered content) outside the allowlist."""
    for node in root.traverse(include_text=False):
        tag = node.tag.lower()
        if tag == "-comment":
            continue
        in_svg = tag == "svg" or _in_svg(node)
        allowed = SVG_ELEMENTS if in_svg else HTML_ELEMENTS
        if tag not in allowed:
            yield Problem(f"element {_describe(node)} is not allowed in a note", f"<{tag}")
            continue
        if tag == "style" and (problem := css_problem(node.text(deep=True))):
            yield Problem(f"{problem} in an SVG <style>", "url(")
        yield from attribute_problems(node, in_svg)
