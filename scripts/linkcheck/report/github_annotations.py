"""GitHub Actions workflow commands: one `::error` per failing occurrence, shown on the diff."""

from __future__ import annotations

from linkcheck.report import Report, note


def _escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_annotations(report: Report) -> str:
    lines = []
    for result in report.failing:
        for source in result.sources:
            message = f"{result.verdict.status.value} link {result.url}: {note(result)}"
            lines.append(f"::error file={_escape(source.file, True)},line={source.line}::{_escape(message)}")
    return "\n".join(lines) + ("\n" if lines else "")
