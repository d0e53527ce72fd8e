"""A small copy of the site's layout in a temporary folder, for gate tests to break on purpose."""

from __future__ import annotations

from pathlib import Path

CONFIG = """\
# A comment the scaffold must keep.
site_name: Mini
plugins:
  - search
  - tags:
      tags_allowed:
        - architecture
        - data
markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - def_list
  - footnotes
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.snippets:
      base_path: [.]
      restrict_base_path: true
      check_paths: true
      auto_append:
        - docs/includes/abbreviations.md
  - pymdownx.tasklist:
      custom_checkbox: true
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
nav:
  - Home: index.md
  - Foundations:
      - foundations/coupling.md
  - Data and consistency:
      - data/acid.md
  - Reference:
      - glossary.md
"""

NOTE = """\
---
title: {title}
description: A note for the tests.
tags:
  - architecture
---

# {title}

The API of the order service.

```mermaid
--8<-- "diagrams/{diagram}.mmd"
```

## References

### Primary sources

- [The source](https://example.org/source): what it gives the reader.
"""

FILES = {
    "mkdocs.yml": CONFIG,
    "docs/index.md": "---\ntitle: Home\ndescription: The home page.\n---\n\n# Home\n\nWelcome.\n",
    "docs/glossary.md": (
        "---\ntitle: Glossary\ndescription: Terms.\n---\n\n# Glossary\n\n"
        "API { #api }\n:   **Application programming interface.** A contract.\n\n"
        "ACID { #acid }\n:   **Atomicity, consistency, isolation, durability.** Guarantees.\n"
    ),
    "docs/includes/abbreviations.md": "*[API]: Application programming interface\n*[ACID]: Atomicity\n",
    "docs/foundations/coupling.md": NOTE.format(title="Coupling", diagram="coupling-cascade"),
    "docs/data/acid.md": NOTE.format(title="ACID", diagram="acid-flow"),
    "diagrams/coupling-cascade.mmd": "flowchart LR\n  A --> B\n",
    "diagrams/acid-flow.mmd": "flowchart LR\n  C --> D\n",
    # The pages published so far (scripts/gates/published_pages.py).
    "published-pages.txt": "data/acid.md\nfoundations/coupling.md\nglossary.md\nindex.md\n",
}


def make_mini_site(root: Path) -> Path:
    for relative, text in FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
