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
from typing import Any

from linkcheck.report import Report, wayback_url
from linkcheck.verdict import Status

SCHEMA_VERSION = 1


def report_data(report: Report) -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "generated_at": report.generated_at.isoformat(timespec="seconds"),
        "links": [
            {
                "url": r.url,
                "status": r.verdict.status.value,
                "code": r.verdict.code,
                "final_url": r.verdict.final_url,
                "message": r.verdict.message,
                "sources": [{"file": s.file, "line": s.line} for s in r.sources],
                "wayback": wayback_url(r.url) if r.verdict.status is Status.DEAD else None,
            }
            for r in report.links
        ],
        "summary": {
            "total": len(report.links),
            "failing": len(report.failing),
            "by_status": report.counts(),
        },
    }


def render_json(report: Report) -> str:
    # Compact: the C encoder is several times faster than an indented dump on big reports.
    return json.dumps(report_data(report), separators=(",", ":")) + "\n"
