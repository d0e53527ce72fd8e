"""The summary printed to a terminal: counts, then each non-ok link grouped by verdict and note."""

from __future__ import annotations

from itertools import groupby

from linkcheck.report import STATUS_ORDER, Report, note, wayback_url
from linkcheck.verdict import Status

QUIET_STATUSES = (Status.OK, Status.EXCLUDED)


def render_text(report: Report, verbose: bool = False) -> str:
    lines: list[str] = []
    for status in STATUS_ORDER:
        if status in QUIET_STATUSES and not verbose:
            continue
        group = sorted(report.by_status(status), key=lambda r: (note(r), r.url))
        if not group:
            continue
        lines.append(f"{status.value.upper()} ({len(group)})")
        for reason, same in groupby(group, key=note):
            lines.append(f"  {reason}")
            for result in same:
                lines.append(f"    {result.url}")
                if result.verdict.final_url and status is Status.REDIRECTED:
                    lines.append(f"      now: {result.verdict.final_url}")
                for source in result.sources:
                    lines.append(f"      {source.file}:{source.line}")
                if status is Status.DEAD:
                    lines.append(f"      archived copies: {wayback_url(result.url)}")
        lines.append("")
    counts = ", ".join(f"{n} {s}" for s, n in report.counts().items() if n)
    lines.append(f"{len(report.links)} links: {counts or 'none'}; {len(report.failing)} failing")
    return "\n".join(lines) + "\n"
