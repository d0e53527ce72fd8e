"""Each verdict, from real HTTP exchanges with the loopback servers."""

from __future__ import annotations

from pathlib import Path

from loopback_servers import Web, loopback_web_fixture, run_checker  # noqa: F401 (the loopback_web fixture)


def check(tmp_path: Path, web: Web, *paths: str, config: str = "", args: tuple[str, ...] = ()):
    urls = [web.url("site.test", p) for p in paths]
    markdown = "\n\n".join(f"- [link {i}]({u})" for i, u in enumerate(urls))
    return urls, run_checker(tmp_path, markdown, "--allow-local", *args, config=config)


def test_a_live_page_is_ok_and_the_run_passes(tmp_path: Path, loopback_web: Web) -> None:
    [url], run = check(tmp_path, loopback_web, "/ok?t=ok")
    assert run.code == 0, run.stderr
    assert run.link(url) | {"sources": None} == {
        "url": url,
        "status": "ok",
        "code": 200,
        "final_url": None,
        "message": "",
        "sources": None,
        "wayback": None,
    }
    assert run.link(url)["sources"] == [{"file": str(tmp_path / "note.md"), "line": 1}]
    assert run.report["summary"] == {
        "total": 1,
        "failing": 0,
        "by_status": {s: int(s == "ok") for s in run.report["summary"]["by_status"]},
    }


def test_not_found_gone_and_other_client_errors_are_dead_and_fail(tmp_path: Path, loopback_web: Web) -> None:
    urls, run = check(tmp_path, loopback_web, "/notfound?t=d", "/gone?t=d", "/teapot?t=d")
    assert run.code == 1
    assert [run.link(u)["code"] for u in urls] == [404, 410, 418]
    assert {run.status(u) for u in urls} == {"dead"}
    assert run.link(urls[0])["wayback"] == "https://web.archive.org/web/*/" + urls[0]


def test_a_503_that_recovers_is_ok(tmp_path: Path, loopback_web: Web) -> None:
    [url], run = check(tmp_path, loopback_web, "/flaky?t=recover")
    assert run.status(url) == "ok"
    assert loopback_web.state.hits["/flaky?t=recover"] >= 2


def test_a_lasting_5xx_is_dead_after_the_retries(tmp_path: Path, loopback_web: Web) -> None:
    [url], run = check(tmp_path, loopback_web, "/always503?t=lasting")
    assert (run.status(url), run.link(url)["code"]) == ("dead", 503)
    assert "after 2 retries" in run.link(url)["message"]
    # HEAD then GET on each of the three attempts.
    assert loopback_web.state.hits["/always503?t=lasting"] == 6


def test_429_waits_for_retry_after_then_succeeds(tmp_path: Path, loopback_web: Web) -> None:
    [url], run = check(tmp_path, loopback_web, "/rate-limited?t=ra&after=1")
    assert run.status(url) == "ok"
    assert loopback_web.state.hits["/rate-limited?t=ra&after=1"] == 2


def test_429_retry_after_as_an_http_date_is_honoured(tmp_path: Path, loopback_web: Web) -> None:
    [url], run = check(
        tmp_path, loopback_web, "/rate-limited?t=date&after=Wed,%2021%20Oct%202015%2007:28:00%20GMT"
    )
    assert run.status(url) == "ok"


def test_429_that_never_clears_is_blocked_not_dead(tmp_path: Path, loopback_web: Web) -> None:
    [url], run = check(tmp_path, loopback_web, "/always429?t=never")
    assert (run.status(url), run.code) == ("blocked", 0)


def test_robot_refusals_are_blocked_not_dead(tmp_path: Path, loopback_web: Web) -> None:
    urls, run = check(tmp_path, loopback_web, "/linkedin?t=b", "/challenge?t=b")
    assert [run.status(u) for u in urls] == ["blocked", "blocked"]
    assert "999" in run.link(urls[0])["message"]
    assert "challenge" in run.link(urls[1])["message"]
    assert run.code == 0


def test_a_plain_403_is_dead_unless_the_host_is_configured_as_refusing_robots(
    tmp_path: Path, loopback_web: Web
) -> None:
    [url], run = check(tmp_path, loopback_web, "/forbidden?t=plain")
    assert run.status(url) == "dead"
    [url], run = check(
        tmp_path, loopback_web, "/forbidden?t=conf", config='[hosts."site.test"]\nblocked = [403]\n'
    )
    assert run.status(url) == "blocked"
    [url], run = check(
        tmp_path, loopback_web, "/forbidden?t=acc", config='[hosts."site.test"]\naccept = [403]\n'
    )
    assert run.status(url) == "ok"


def test_head_refused_or_lying_falls_back_to_get(tmp_path: Path, loopback_web: Web) -> None:
    urls, run = check(tmp_path, loopback_web, "/head-refused?t=h", "/head-lies?t=h")
    assert [run.status(u) for u in urls] == ["ok", "ok"]
    methods = [m for m, p in loopback_web.state.methods if p == "/head-lies"]
    assert methods[-2:] == ["HEAD", "GET"]


def test_permanent_redirect_reports_the_new_url_and_temporary_is_ok(
    tmp_path: Path, loopback_web: Web
) -> None:
    web = loopback_web
    urls, run = check(tmp_path, web, "/moved?t=r", "/temporary?t=r", "/chain/1?t=r")
    assert run.status(urls[0]) == "redirected"
    assert run.link(urls[0])["final_url"] == web.url("site.test", "/ok")
    assert run.status(urls[1]) == "ok"
    assert run.link(urls[2])["final_url"] == web.url("site.test", "/ok")
    assert run.code == 0


def test_redirect_loops_and_redirects_to_dead_pages_are_dead(tmp_path: Path, loopback_web: Web) -> None:
    urls, run = check(tmp_path, loopback_web, "/loop/a?t=l", "/moved-to-dead?t=l")
    assert run.status(urls[0]) == "dead"
    assert "loop" in run.link(urls[0])["message"]
    assert (run.status(urls[1]), run.link(urls[1])["code"]) == ("dead", 404)


def test_too_many_redirects_is_dead(tmp_path: Path, loopback_web: Web) -> None:
    [url], run = check(tmp_path, loopback_web, "/chain/1?t=cap", args=("--max-redirects", "1"))
    assert run.status(url) == "dead"
    assert "more than 1 redirect" in run.link(url)["message"]


def test_a_hanging_server_is_unreachable_not_dead(tmp_path: Path, loopback_web: Web) -> None:
    [url], run = check(tmp_path, loopback_web, "/hang?t=h", args=("--timeout", "0.3", "--max-retries", "1"))
    assert run.status(url) == "unreachable"
    assert "timed out" in run.link(url)["message"]
    assert run.code == 0


def test_reset_and_garbage_replies_are_unreachable(tmp_path: Path, loopback_web: Web) -> None:
    web = loopback_web
    urls = [web.url("broken.test", "/reset"), web.url("broken.test", "/garbage")]
    run = run_checker(tmp_path, f"[a]({urls[0]}) [b]({urls[1]})", "--allow-local")
    assert [run.status(u) for u in urls] == ["unreachable", "unreachable"]
    assert "reset" in run.link(urls[0])["message"]
    assert "unreadable reply" in run.link(urls[1])["message"]


def test_an_endless_body_is_never_downloaded(tmp_path: Path, loopback_web: Web) -> None:
    # Without a fragment the body is dropped unread; with one, reading stops at max_body_bytes.
    urls, run = check(
        tmp_path, loopback_web, "/endless?t=e", "/endless?t=e#nowhere", config="max_body_bytes = 200000\n"
    )
    assert run.status(urls[0]) == "ok"
    assert run.status(urls[1]) == "dead"
    assert "missing anchor #nowhere in the first" in run.link(urls[1])["message"]


def test_anchors_present_by_id_or_name_and_missing(tmp_path: Path, loopback_web: Web) -> None:
    urls, run = check(tmp_path, loopback_web, "/anchors#present", "/anchors#named-anchor", "/anchors#absent")
    assert [run.status(u) for u in urls] == ["ok", "ok", "dead"]
    assert run.link(urls[2])["message"] == "missing anchor #absent"
    # Three links, one page: fetched once.
    assert loopback_web.state.hits["/anchors"] == 1


def test_each_url_is_fetched_once_however_often_it_appears(tmp_path: Path, loopback_web: Web) -> None:
    url = loopback_web.url("site.test", "/ok?t=once")
    run = run_checker(tmp_path, f"[a]({url})\n\n[b]({url})\n\nbare {url}\n", "--allow-local")
    assert [s["line"] for s in run.link(url)["sources"]] == [1, 3, 5]
    assert loopback_web.state.hits["/ok?t=once"] == 1


def test_an_unknown_host_is_dead(tmp_path: Path, loopback_web: Web) -> None:
    good = loopback_web.url("site.test", "/ok?t=dns")
    run = run_checker(tmp_path, f"[a]({good})\n\n[b](http://no-such-host.test/x)\n", "--allow-local")
    assert run.status("http://no-such-host.test/x") == "dead"
    assert "host not found" in run.link("http://no-such-host.test/x")["message"]


def test_a_refused_connection_is_dead(tmp_path: Path, loopback_web: Web) -> None:
    url = "http://127.0.0.9:9/closed"
    good = loopback_web.url("site.test", "/ok?t=refused")
    run = run_checker(tmp_path, f"[a]({good})\n\n[b]({url})\n", "--allow-local")
    assert (run.status(url), run.link(url)["message"]) == ("dead", "connection refused after 2 retries")


def test_exclusions_from_configuration_and_options(tmp_path: Path, loopback_web: Web) -> None:
    urls, run = check(
        tmp_path,
        loopback_web,
        "/ok?t=x1",
        "/ok?t=x2",
        config="exclude = ['t=x1']\n",
        args=("--exclude", "t=x2$"),
    )
    assert [run.status(u) for u in urls] == ["excluded", "excluded"]
    assert loopback_web.state.hits["/ok?t=x1"] == 0
