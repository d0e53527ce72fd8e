"""The address-safety rule and GitHub token scoping.

Here 127.0.0.2 plays the public internet and 127.0.0.3 an internal service
(see conftest.only_public); the real rule's view of real addresses is checked
without sending anything.
"""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
from linkcheck.safety import github_authorization, is_public_address, refusal
from loopback_servers import Web, loopback_web_fixture, run_checker  # noqa: F401 (the loopback_web fixture)
from yarl import URL


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("224.0.0.1", False),
        ("0.0.0.0", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),
        ("8.8.8.8", True),
        ("2606:4700::1111", True),
    ],
)
def test_only_public_addresses_pass_the_rule(address: str, public: bool) -> None:
    assert is_public_address(address) is public


def test_literal_addresses_and_localhost_are_refused_before_any_lookup() -> None:
    assert refusal(URL("http://127.0.0.1:8000/"), allow_local=False)
    assert refusal(URL("http://[::1]/"), allow_local=False)
    assert refusal(URL("http://localhost/"), allow_local=False)
    assert refusal(URL("http://8.8.8.8/"), allow_local=False) is None
    assert refusal(URL("http://127.0.0.1/"), allow_local=True) is None


def test_a_name_resolving_to_an_internal_address_is_refused_by_default(
    tmp_path: Path, loopback_web: Web
) -> None:
    internal = loopback_web.url("internal.test", "/ok?t=safe")
    public = loopback_web.url("site.test", "/ok?t=safe")
    run = run_checker(tmp_path, f"[a]({internal})\n\n[b]({public})\n")
    assert run.status(internal) == "excluded"
    assert "refused: internal.test resolves to 127.0.0.3" in run.link(internal)["message"]
    assert run.status(public) == "ok"
    assert loopback_web.state.hits["/ok?t=safe"] == 1  # only the public one was fetched
    assert run.code == 0


def test_the_rule_holds_again_after_a_redirect(tmp_path: Path, loopback_web: Web) -> None:
    url = loopback_web.url("site.test", "/to-internal")
    before = loopback_web.state.hits["/ok"]
    run = run_checker(tmp_path, f"[a]({url})\n")
    assert run.status(url) == "excluded"
    assert "refused: internal.test" in run.link(url)["message"]
    assert loopback_web.state.hits["/ok"] == before


def test_allow_local_lifts_the_rule_including_after_a_redirect(tmp_path: Path, loopback_web: Web) -> None:
    internal = loopback_web.url("internal.test", "/ok?t=allowed")
    redirecting = loopback_web.url("site.test", "/to-internal?t=allowed")
    run = run_checker(tmp_path, f"[a]({internal})\n\n[b]({redirecting})\n", "--allow-local")
    assert run.status(internal) == "ok"
    assert run.status(redirecting) == "ok"


def test_the_real_rule_refuses_loopback_literals(tmp_path: Path) -> None:
    from linkcheck.safety import is_public_address as real_rule

    run = run_checker(tmp_path, "[a](http://127.0.0.2:1/x)\n", is_public=real_rule)
    assert run.status("http://127.0.0.2:1/x") == "excluded"


def test_token_scoping_by_host_scheme_and_redirect() -> None:
    assert github_authorization(URL("https://github.com/a/b"), "t") == {"Authorization": "Bearer t"}
    assert github_authorization(URL("https://api.github.com/x"), "t")
    assert github_authorization(URL("http://github.com/a/b"), "t") == {}
    assert github_authorization(URL("https://github.com.evil.example/"), "t") == {}
    assert github_authorization(URL("https://gitlab.com/"), "t") == {}
    assert github_authorization(URL("https://github.com/"), None) == {}


def test_the_token_goes_to_github_only_and_not_across_a_redirect_off_it(
    tmp_path: Path, loopback_web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "secret-token")
    trusting = ssl.create_default_context(cafile=str(loopback_web.cert))
    start = loopback_web.url("github.com", "/auth/start", scheme="https")
    leave = loopback_web.url("github.com", "/auth/leave", scheme="https")
    other = loopback_web.url("elsewhere.test", "/auth/start", scheme="https")
    run = run_checker(
        tmp_path, f"[a]({start})\n\n[b]({leave})\n\n[c]({other})\n", "--allow-local", ssl_context=trusting
    )
    assert [run.status(u) for u in (start, leave, other)] == ["ok", "ok", "ok"]
    seen = loopback_web.state.authorization
    assert seen["github.com/auth/start"] == "Bearer secret-token"
    assert seen["github.com/auth/leave"] == "Bearer secret-token"
    assert seen["elsewhere.test/auth/landed"] is None
    assert seen["elsewhere.test/auth/start"] is None
