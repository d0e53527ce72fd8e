"""Exactly one verdict per link, from what the network said about its page.

The rules lean towards not crying wolf: a site that refuses robots (LinkedIn's
999, Cloudflare's challenge, a 429 that never clears) is `blocked`, not dead,
and trouble that may be ours (timeouts, resets) is `unreachable` until it has
lasted for days (`escalate`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from yarl import URL

from linkcheck.anchors import has_anchor
from linkcheck.config import Settings
from linkcheck.outcome import Failure, Outcome
from linkcheck.verdict import Status, Verdict

_FAILURE_STATUS = {
    Failure.DNS: Status.DEAD,
    Failure.REFUSED: Status.DEAD,
    Failure.LOOP: Status.DEAD,
    Failure.TOO_MANY_REDIRECTS: Status.DEAD,
    Failure.TIMEOUT: Status.UNREACHABLE,
    Failure.RESET: Status.UNREACHABLE,
    Failure.GARBAGE: Status.UNREACHABLE,
    Failure.DEADLINE: Status.UNREACHABLE,
    Failure.UNSAFE: Status.EXCLUDED,
    Failure.INVALID: Status.INVALID,
}
# The host could not be found or connected to: if this is all a run sees, the machine is offline.
# (A timeout is not counted: the name resolved, so some network was there.)
_NETWORK_FAILURES = frozenset({Failure.DNS, Failure.REFUSED})


def _retries(outcome: Outcome) -> str:
    extra = outcome.attempts - 1
    return f" after {extra} retr{'y' if extra == 1 else 'ies'}" if extra else ""


def page_verdict(outcome: Outcome, settings: Settings) -> Verdict:
    """The verdict on the page itself, before any fragment is considered."""
    if outcome.failure is not None:
        return Verdict(
            _FAILURE_STATUS[outcome.failure],
            final_url=outcome.final_url if outcome.hops else None,
            message=outcome.message
            + (
                _retries(outcome)
                if outcome.failure in (Failure.TIMEOUT, Failure.RESET, Failure.GARBAGE, Failure.REFUSED)
                else ""
            ),
            network_failure=outcome.failure in _NETWORK_FAILURES and not outcome.answered_hosts,
        )
    code = outcome.code or 0
    final_host = outcome.final_host or URL(outcome.final_url or outcome.url).host or ""
    policy = settings.policy_for(final_host)
    final_url = outcome.final_url if outcome.hops else None
    via = f" (via {outcome.hops} redirect{'s' if outcome.hops > 1 else ''})" if outcome.hops else ""
    if code in policy.accept or 200 <= code < 300:
        if outcome.first_hop_permanent:
            return Verdict(Status.REDIRECTED, code, final_url, f"moved permanently to {outcome.final_url}")
        return Verdict(
            Status.OK, code, final_url, "accepted by configuration" if code in policy.accept else ""
        )
    if code == 999:
        return Verdict(Status.BLOCKED, code, final_url, "the site refuses automated clients (999)")
    if code == 403 and (outcome.cf_mitigated or "").lower() == "challenge":
        return Verdict(Status.BLOCKED, code, final_url, "bot challenge (cf-mitigated: challenge)")
    if code in policy.blocked:
        return Verdict(Status.BLOCKED, code, final_url, f"{code} from a host configured as refusing robots")
    if code == 429:
        return Verdict(Status.BLOCKED, code, final_url, f"rate limited (429){_retries(outcome)}")
    if code in (404, 410):
        return Verdict(Status.DEAD, code, final_url, ("not found" if code == 404 else "gone") + via)
    if 400 <= code < 500:
        return Verdict(Status.DEAD, code, final_url, f"client error {code}{via}")
    if code >= 500:
        return Verdict(Status.DEAD, code, final_url, f"server error {code}{_retries(outcome)}{via}")
    if 300 <= code < 400:
        return Verdict(Status.DEAD, code, final_url, f"redirect {code} without a Location")
    return Verdict(Status.UNREACHABLE, code, final_url, f"unexpected status {code}")


def fragment_verdict(
    page: Verdict, outcome_anchors: set[str] | None, truncated: bool, fragment: str, max_bytes: int
) -> Verdict:
    """The verdict on `page#fragment`: the page's, unless the anchor is missing."""
    if page.status not in (Status.OK, Status.REDIRECTED) or outcome_anchors is None:
        return page
    if has_anchor(outcome_anchors, fragment):
        return page
    where = f" in the first {max_bytes // (1024 * 1024)} MiB" if truncated else ""
    return Verdict(Status.DEAD, page.code, page.final_url, f"missing anchor #{fragment}{where}")


def escalate(verdict: Verdict, unreachable_since: float | None, now: float, settings: Settings) -> Verdict:
    """Unreachable in every run for at least `escalate_after`: no longer a passing glitch."""
    if verdict.status is not Status.UNREACHABLE or unreachable_since is None:
        return verdict
    if now - unreachable_since < settings.escalate_after:
        return verdict
    since = datetime.fromtimestamp(unreachable_since, UTC).strftime("%Y-%m-%d")
    message = f"{verdict.message}; unreachable in every run since {since}"
    return Verdict(Status.DEAD, verdict.code, verdict.final_url, message)
