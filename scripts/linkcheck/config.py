"""Settings: defaults, the repository's `linkcheck.toml`, then command-line overrides."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from linkcheck.verdict import Status

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG_FILE = REPO_ROOT / "linkcheck.toml"
DAY = 86400.0


class ConfigError(Exception):
    """A configuration file or option that cannot be used; the message says why."""


@dataclass(frozen=True)
class HostPolicy:
    """What one host (and its subdomains) gets instead of the global settings."""

    concurrency: int | None = None
    request_interval: float | None = None
    # Codes this host answers to robots with a working page behind them.
    accept: frozenset[int] = frozenset()
    # Codes that mean "this host refuses automated clients" rather than "dead".
    blocked: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Settings:
    paths: tuple[str, ...] = ("docs", "README.md", "CONTRIBUTING.md", "mkdocs.yml")
    user_agent: str = (
        "architecture-notes-linkcheck/1 (+https://github.com/architecture-notes/architecture-notes)"
    )
    max_concurrency: int = 128
    host_concurrency: int = 10
    host_request_interval: float = 0.05
    max_retries: int = 3
    # Backoff: full jitter over base * 2**attempt, never more than backoff_cap.
    retry_base: float = 1.0
    backoff_cap: float = 30.0
    # Retry-After beyond this is not waited for: the link is judged on what it said.
    retry_after_cap: float = 60.0
    timeout: float = 20.0
    deadline: float = 900.0
    max_redirects: int = 10
    max_body_bytes: int = 4 * 1024 * 1024
    exclude: tuple[str, ...] = ()
    allow_local: bool = False
    cache_path: str = ".cache/linkcheck/cache.sqlite"
    use_cache: bool = True
    report_path: str = ".cache/linkcheck/last-report.json"
    # Seconds a verdict stays fresh in the cache; 0 means always check again.
    max_age: dict[Status, float] = field(
        default_factory=lambda: {
            Status.OK: 7 * DAY,
            Status.REDIRECTED: 7 * DAY,
            Status.BLOCKED: 7 * DAY,
            Status.DEAD: 0.0,
            Status.UNREACHABLE: 0.0,
        }
    )
    # Unreachable in every run over this span becomes dead.
    escalate_after: float = 3 * DAY
    hosts: dict[str, HostPolicy] = field(default_factory=dict)

    def policy_for(self, host: str) -> HostPolicy:
        """The policy of the most specific configured domain that `host` is, or is under."""
        host = host.lower().rstrip(".")
        while host:
            if host in self.hosts:
                return self.hosts[host]
            _, _, host = host.partition(".")
        return HostPolicy()

    def excluded(self, url: str) -> bool:
        return any(pattern.search(url) for pattern in self._exclude_patterns)

    @cached_property
    def _exclude_patterns(self) -> list[re.Pattern[str]]:
        # Compiled once per run, not looked up in re's cache for every URL.
        return [re.compile(pattern) for pattern in self.exclude]

    def with_overrides(self, **overrides: Any) -> Settings:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


_SCALARS = {
    "user_agent": str,
    "max_concurrency": int,
    "host_concurrency": int,
    "host_request_interval": float,
    "max_retries": int,
    "retry_base": float,
    "backoff_cap": float,
    "retry_after_cap": float,
    "timeout": float,
    "deadline": float,
    "max_redirects": int,
    "max_body_bytes": int,
    "cache_path": str,
    "report_path": str,
    "escalate_after_days": float,
}


def _number(key: str, value: Any, kind: type) -> Any:
    if kind is str:
        if not isinstance(value, str):
            raise ConfigError(f"{key} must be a string, not {value!r}")
        return value
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (kind is int and isinstance(value, float))
    ):
        raise ConfigError(f"{key} must be a{'n integer' if kind is int else ' number'}, not {value!r}")
    if value < 0:
        raise ConfigError(f"{key} must not be negative, not {value!r}")
    return kind(value)


def _codes(key: str, value: Any) -> frozenset[int]:
    if not isinstance(value, list) or not all(isinstance(c, int) and 100 <= c <= 999 for c in value):
        raise ConfigError(f"{key} must be a list of HTTP status codes, not {value!r}")
    return frozenset(value)


def _host_policy(host: str, table: Any) -> HostPolicy:
    if not isinstance(table, dict):
        raise ConfigError(f"hosts.{host} must be a table")
    known = {"concurrency", "request_interval", "accept", "blocked"}
    if unknown := set(table) - known:
        raise ConfigError(
            f"hosts.{host}: unknown setting {sorted(unknown)[0]!r} (known: {', '.join(sorted(known))})"
        )
    return HostPolicy(
        concurrency=_number(f"hosts.{host}.concurrency", table["concurrency"], int)
        if "concurrency" in table
        else None,
        request_interval=(
            _number(f"hosts.{host}.request_interval", table["request_interval"], float)
            if "request_interval" in table
            else None
        ),
        accept=_codes(f"hosts.{host}.accept", table.get("accept", [])),
        blocked=_codes(f"hosts.{host}.blocked", table.get("blocked", [])),
    )


def settings_from_table(table: dict[str, Any], base: Settings | None = None) -> Settings:
    """Settings from a parsed `linkcheck.toml`; any mistake raises ConfigError."""
    base = base or Settings()
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key in _SCALARS:
            parsed = _number(key, value, _SCALARS[key])
            if key == "escalate_after_days":
                values["escalate_after"] = parsed * DAY
            else:
                values[key] = parsed
        elif key in ("exclude", "paths"):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{key} must be a list of strings")
            if key == "exclude":
                for pattern in value:
                    try:
                        re.compile(pattern)
                    except re.error as error:
                        raise ConfigError(
                            f"exclude pattern {pattern!r} is not a valid regular expression: {error}"
                        ) from None
            values[key] = tuple(value)
        elif key == "max_age_days":
            if not isinstance(value, dict):
                raise ConfigError("max_age_days must be a table of verdict = days")
            max_age = dict(base.max_age)
            for name, days in value.items():
                try:
                    status = Status(name)
                except ValueError:
                    raise ConfigError(f"max_age_days: {name!r} is not a cached verdict") from None
                if status not in max_age:
                    raise ConfigError(f"max_age_days: {name!r} is not a cached verdict")
                max_age[status] = _number(f"max_age_days.{name}", days, float) * DAY
            values["max_age"] = max_age
        elif key == "hosts":
            if not isinstance(value, dict):
                raise ConfigError("hosts must be a table of host names")
            values["hosts"] = {h.lower(): _host_policy(h, t) for h, t in value.items()}
        else:
            known = sorted([*_SCALARS, "exclude", "paths", "max_age_days", "hosts"])
            raise ConfigError(f"unknown setting {key!r} (known: {', '.join(known)})")
    return replace(base, **values)


def load_settings(path: Path | None = None) -> Settings:
    """The repository's settings; defaults alone when no config file exists."""
    path = path or CONFIG_FILE
    if not path.exists():
        return Settings()
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read {path}: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None
    try:
        return settings_from_table(table)
    except ConfigError as error:
        raise ConfigError(f"{path}: {error}") from None


SETTING_NAMES = tuple(f.name for f in fields(Settings))
