"""Give every rendered diagram the accessible name its source declares.

Mermaid turns a diagram's `accTitle:` into an SVG <title> that names the
drawing for assistive technology. A mindmap cannot carry `accTitle:`; its name
is the `title:` of its front matter, which Mermaid does not put on the SVG. So
each such diagram is wrapped in a figure named by that title, which the diagram
renderer (scripts/hooks/prerender_diagrams.py, run after this) keeps around the
drawn SVG.
"""

from __future__ import annotations

import yaml
from bs4 import BeautifulSoup

FRONT_MATTER_FENCE = "---"
# How a page's diagram with front matter starts before it is drawn (a ```mermaid
# fence, as pymdownx.superfences writes it with mkdocs.yml's fence_code_format).
FRONT_MATTER_DIAGRAM = '<pre class="mermaid"><code>---'


def split_front_matter(source: str) -> tuple[dict[str, object], str]:
    """A Mermaid diagram's front matter (YAML between `---` lines) and the rest."""
    lines = source.lstrip("\n").splitlines()
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        return {}, source
    for end, line in enumerate(lines[1:], start=1):
        if line.strip() == FRONT_MATTER_FENCE:
            front_matter = yaml.safe_load("\n".join(lines[1:end])) or {}
            body = "\n".join(lines[end + 1 :])
            return (front_matter if isinstance(front_matter, dict) else {}), body
    return {}, source


def declared_line(body: str, keyword: str) -> str | None:
    """The value of a one-line Mermaid statement such as `accTitle: ...`."""
    for line in body.splitlines():
        key, colon, value = line.strip().partition(":")
        if colon and key.strip() == keyword and value.strip():
            return value.strip()
    return None


def _front_matter_title(front_matter: dict[str, object]) -> str:
    return str(front_matter.get("title") or "").strip()


def accessible_title(source: str) -> str | None:
    """What names the diagram: its `accTitle:`, else its front matter `title:`."""
    front_matter, body = split_front_matter(source)
    return declared_line(body, "accTitle") or _front_matter_title(front_matter) or None


def name_diagrams(html: str) -> str:
    """The page's HTML with each diagram that Mermaid would leave unnamed wrapped in a named figure."""
    # Only a diagram with front matter can lack accTitle yet have a title: skip
    # parsing every other page (parsing is most of this step's cost at scale).
    if FRONT_MATTER_DIAGRAM not in html:
        return html
    soup = BeautifulSoup(html, "html.parser")
    changed = False
    for diagram in soup.select("pre.mermaid"):
        front_matter, body = split_front_matter(diagram.get_text())
        # An `accTitle:` is the name Mermaid itself puts on the rendered SVG.
        if declared_line(body, "accTitle") is not None:
            continue
        title = _front_matter_title(front_matter)
        if not title:
            continue
        figure = soup.new_tag("div", attrs={"role": "figure", "aria-label": title})
        diagram.wrap(figure)
        changed = True
    return str(soup) if changed else html
