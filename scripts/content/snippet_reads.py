"""Which files pymdownx.snippets reads for a page, found by running its own
preprocessor (so no second reading of the snippet syntax can disagree with it).

Snippets may read only diagrams/ and docs/includes/: everything else in the
checkout (.env, .git/config with the token header actions/checkout leaves,
the build environment through a link) would be published. pymdownx's own
base-path check does not resolve links; this resolves every path it reads.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import markdown
from pymdownx.snippets import SnippetExtension

from content.rendered_page import markdown_settings

ALLOWED_FOLDERS = ("diagrams", "docs/includes")
SNIPPETS = "pymdownx.snippets"


def snippet_reads(text: str, root: Path) -> list[tuple[str, Path]]:
    """Each path a page's snippets ask for, as written, with the real file it resolves to."""
    _, options = markdown_settings(root)
    reads: list[tuple[str, Path]] = []
    with contextlib.chdir(root):
        md = markdown.Markdown(extensions=[SnippetExtension(**options.get(SNIPPETS, {}))])
        preprocessor = md.preprocessors["snippet"]
        find = preprocessor.get_snippet_path

        def recording(path: str) -> str | None:
            found = find(path)
            if found is not None:
                reads.append((path, Path(os.path.realpath(found))))
            return found

        preprocessor.get_snippet_path = recording  # type: ignore[method-assign]
        with contextlib.suppress(Exception):  # a missing snippet is the build's error to report
            preprocessor.run(text.split("\n"))
    return reads


def outside_allowed(reads: list[tuple[str, Path]], root: Path) -> list[tuple[str, Path]]:
    allowed = [(root / folder).resolve() for folder in ALLOWED_FOLDERS]
    return [(asked, real) for asked, real in reads if not any(real.is_relative_to(f) for f in allowed)]
