"""The link checker: collect external references, check them, report.

Data flows one way, and no module imports one further up the line:
`collect` finds the URLs in the site's Markdown (parsing it in a forked child
where it can: `parse_child`); `check` settles what it can
without the network (malformed, excluded, cached) and groups the rest by
`page`; `network` fetches those pages (through `fetch`, `host_limiter`, and
the HTTP client: `connector`, `http_connection`, `safe_resolver`); `classify`
turns what a page answered into one verdict per link; `cache` keeps verdicts
between runs; `report` renders them. `cli` wires them together for
`scripts/check_links.py`.
"""
