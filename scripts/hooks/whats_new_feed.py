"""The What's new page and its Atom feed (feed.xml), from git history.

A thin MkDocs adapter over scripts/whats_new/: it reads the notes' titles and
the docs folder's history, adds the generated page to the site's files, and
writes the feed after the build. The feed is linked from every page's head by
overrides/main.html. Without git history the page says so and nothing fails.
"""

from __future__ import annotations

from pathlib import Path

import scripts_root  # noqa: F401  (makes scripts/ importable; see scripts_root.py)
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.utils.meta import get_data
from redirects.urls import output_path, page_url, relative_url
from whats_new.changes import Event, note_events, note_title
from whats_new.feed import atom_feed
from whats_new.history import read_history
from whats_new.page import FEED_FILE, page_markdown

PAGE = "whats-new.md"

_events: list[Event] = []


def _title(file: File) -> str:
    _, meta = get_data(file.content_string)
    return note_title(meta.get("title"), file.src_uri)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    titles = {file.src_uri: _title(file) for file in files.documentation_pages() if "/" in file.src_uri}
    history = read_history(Path(config.docs_dir))
    _events[:] = note_events(history.commits, titles)
    feed_href = relative_url(output_path(PAGE, config.use_directory_urls), FEED_FILE)
    markdown = page_markdown(
        _events, history.state, link=lambda path: path, feed_href=feed_href, page_path=PAGE
    )
    existing = files.get_file_from_path(PAGE)
    if existing is not None:
        files.remove(existing)
    files.append(File.generated(config, PAGE, content=markdown))
    return files


def on_post_build(config: MkDocsConfig) -> None:
    feed = atom_feed(
        _events,
        site_url=config.site_url or "http://127.0.0.1/",
        site_name=config.site_name,
        author=f"{config.site_name} contributors",
        note_url=lambda path: page_url(path, config.use_directory_urls),
        page_url=page_url(PAGE, config.use_directory_urls),
        feed_url=FEED_FILE,
    )
    (Path(config.site_dir) / FEED_FILE).write_bytes(feed)
