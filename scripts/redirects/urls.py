"""The URL MkDocs gives a page, from its path under docs/ (its src_uri).

The same rule as mkdocs.structure.files.File, kept here so the gate and the
redirect pages need no MkDocs: with directory URLs `a/b.md` is served at `a/b/`
(written to `a/b/index.html`), `a/index.md` at `a/`; without them (the offline
copy) at `a/b.html`.
"""

from __future__ import annotations

import posixpath

INDEX_NAMES = ("index", "README")


def output_path(src_uri: str, use_directory_urls: bool = True) -> str:
    """Where the built page is written, relative to the site folder."""
    stem = posixpath.splitext(src_uri)[0]
    folder, name = posixpath.split(stem)
    if name in INDEX_NAMES:
        return posixpath.join(folder, "index.html")
    if use_directory_urls:
        return posixpath.join(folder, name, "index.html")
    return posixpath.join(folder, f"{name}.html")


def page_url(src_uri: str, use_directory_urls: bool = True) -> str:
    """The page's URL relative to the site root ('' for the home page)."""
    path = output_path(src_uri, use_directory_urls)
    if use_directory_urls and posixpath.basename(path) == "index.html":
        folder = posixpath.dirname(path)
        return f"{folder}/" if folder else ""
    return path


def relative_url(from_output: str, to_url: str) -> str:
    """`to_url` (relative to the site root) as seen from the page written at `from_output`."""
    start = posixpath.dirname(from_output) or "."
    target = to_url or "."
    relative = posixpath.relpath(target, start)
    if to_url == "" or to_url.endswith("/"):
        relative = relative.rstrip("/") + "/"
        if relative == "./":
            return "./"
    return relative
