"""The link checker: collect external references, check them, report.

Data flows one way: `collect` finds the URLs in the site's Markdown, `run`
checks them (through `fetch`, `classify`, `cache`), and `report` renders the
verdicts. `cli` wires the three together for `scripts/check_links.py`.
"""
