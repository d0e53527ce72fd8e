"""Refuse to publish a file of docs/ that is a symbolic link or resolves outside docs/
(logic in scripts/gates/symlinks.py): MkDocs would copy the link's target, such
as /proc/self/environ, into the site."""

from __future__ import annotations

from pathlib import Path

import scripts_root  # noqa: F401  (makes scripts/ importable; see scripts_root.py)
from gates.symlinks import escapes
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files


def on_files(files: Files, config: MkDocsConfig) -> Files:
    docs = Path(config.docs_dir)
    # Only files found in docs/: the theme's files and those hooks generate (the
    # pinned npm files) come from elsewhere on purpose.
    from_docs = [
        file
        for file in files
        if file.generated_by is None and file.abs_src_path and Path(file.abs_src_path).is_relative_to(docs)
    ]
    linked = [file.src_uri for file in from_docs if escapes(Path(file.abs_src_path or ""), docs)]
    if linked:
        raise PluginError(f"symbolic links in docs/ are not published: {', '.join(sorted(linked))}")
    return files
