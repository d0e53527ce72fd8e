"""The Markdown report: the body of the "Link rot" issue and of a job summary."""

from __future__ import annotations

from linkcheck.report import STATUS_ORDER, Report, note, wayback_url
from linkcheck.verdict import Status

SHOWN = (Status.DEAD, Status.INVALID, Status.UNREACHABLE, Status.BLOCKED, Status.REDIRECTED)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report) -> str:
    counts = report.counts()
    lines = [
        "## Link check",
        "",
        f"{len(report.links)} links checked on {report.generated_at:%Y-%m-%d %H:%M} UTC: "
        f"**{len(report.failing)} failing**.",
        "",
        "| verdict | links |",
        "| --- | ---: |",
        *(f"| {status.value} | {counts[status.value]} |" for status in STATUS_ORDER if counts[status.value]),
    ]
    for status in SHOWN:
        group = report.by_status(status)
        if not group:
            continue
        lines += ["", f"### {status.value.capitalize()} ({len(group)})", ""]
        lines += ["| link | note | where |", "| --- | --- | --- |"]
        for result in sorted(group, key=lambda r: (note(r), r.url)):
            where = "<br>".join(f"`{s.file}:{s.line}`" for s in result.sources)
            text = note(result)
            if status is Status.REDIRECTED and result.verdict.final_url:
                text = f"now {result.verdict.final_url}"
            if status is Status.DEAD:
                text += f" ([archived copies]({wayback_url(result.url)}))"
            lines.append(f"| <{result.url}> | {_cell(text)} | {where} |")
    return "\n".join(lines) + "\n"
