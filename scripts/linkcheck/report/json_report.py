"""The JSON report: the format tools and the Link health page read.

Schema (version 1):
    {
      "schema": 1,
      "generated_at": "2026-01-01T00:00:00+00:00",
      "links": [
        {"url": str, "status": "ok|redirected|dead|blocked|unreachable|invalid|excluded",
         "code": int | null, "final_url": str | null, "message": str,
         "sources": [{"file": str, "line": int}], "wayback": str | null}
      ],
      "summary": {"total": int, "failing": int, "by_status": {status: int}}
    }
`wayback` is set for dead links only: the Wayback Machine lookup for the URL.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring_ascii as _string  # json.dumps's own escaper, in C

from linkcheck.report import Report, wayback_url
from linkcheck.verdict import LinkResult, Status

SCHEMA_VERSION = 1


def _link(result: LinkResult) -> str:
    """One link's object, exactly as json.dumps writes it compactly (tested against it)."""
    verdict = result.verdict
    sources = ",".join([f'{{"file":{_string(s.file)},"line":{s.line:d}}}' for s in result.sources])
    code = "null" if verdict.code is None else f"{verdict.code:d}"
    final_url = "null" if verdict.final_url is None else _string(verdict.final_url)
    wayback = _string(wayback_url(result.url)) if verdict.status is Status.DEAD else "null"
    return (
        f'{{"url":{_string(result.url)},"status":{_string(verdict.status.value)},"code":{code},'
        f'"final_url":{final_url},"message":{_string(verdict.message)},"sources":[{sources}],'
        f'"wayback":{wayback}}}'
    )


def render_json(report: Report) -> str:
    """The report in the schema above: the text `json.dumps(..., separators=(",", ":"))` gives
    (tested), written link by link with the string escaper json.dumps itself uses. At 20,000
    links, building dicts and encoding them took 58 ms, this takes 18 ms (the report is the last
    thing a run does before it exits)."""
    generated_at = report.generated_at.isoformat(timespec="seconds")
    head = f'"schema":{SCHEMA_VERSION:d},"generated_at":{_string(generated_at)}'
    links = ",".join([_link(result) for result in report.links])
    summary = {"total": len(report.links), "failing": len(report.failing), "by_status": report.counts()}
    summary_text = json.dumps(summary, separators=(",", ":"))
    return f'{{{head},"links":[{links}],"summary":{summary_text}}}\n'
