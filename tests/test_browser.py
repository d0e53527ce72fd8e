"""The built site in a real browser: diagrams render, nothing leaves 127.0.0.1,
search works and the palette toggle switches scheme."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import DIAGRAM_SOURCE_BLOCK, assert_diagrams_drawn, diagrams_in, launch_chromium
from site_build import REPO_ROOT

pytestmark = pytest.mark.browser


def page_paths() -> list[str]:
    """The URL path of every page, from its Markdown source (directory URLs)."""
    docs = REPO_ROOT / "docs"
    paths = []
    for source in sorted(docs.rglob("*.md")):
        relative = source.relative_to(docs)
        if relative.parts[0] == "includes":
            continue
        stem = relative.with_suffix("")
        # index.md is its folder's page: docs/index.md the home, docs/data/index.md data/.
        page = stem.parent if stem.name == "index" else stem
        paths.append("" if page == Path(".") else f"{page.as_posix()}/")
    return paths


@pytest.fixture(scope="session")
def browser():
    yield from launch_chromium()


@dataclass
class PageVisit:
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def tab(browser) -> Iterator[tuple[object, PageVisit]]:
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    visit = PageVisit()
    page.on("request", lambda request: visit.requests.append(request.url))
    page.on("pageerror", lambda error: visit.errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and visit.errors.append(message.text))
    yield page, visit
    context.close()


def foreign_requests(urls: list[str]) -> list[str]:
    return [
        url
        for url in urls
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).hostname != "127.0.0.1"
    ]


@pytest.mark.parametrize("path", page_paths())
def test_page_renders_offline(path: str, built_site: Path, site_url: str, tab):
    page, visit = tab
    html = (built_site / path / "index.html").read_text(encoding="utf-8")
    # Every diagram was drawn at build time: the page holds SVG, not Mermaid source.
    assert DIAGRAM_SOURCE_BLOCK not in html
    expected = diagrams_in(html)

    page.goto(site_url + path, wait_until="load")
    page.wait_for_load_state("networkidle")
    assert_diagrams_drawn(page, expected)
    if expected:
        texts = page.eval_on_selector_all("div.mermaid > svg", "svgs => svgs.map(s => s.textContent)")
        assert not [t for t in texts if "Syntax error" in t], "Mermaid drew a syntax error"
        sizes = page.eval_on_selector_all(
            "div.mermaid > svg",
            "svgs => svgs.map(s => s.getBoundingClientRect()).map(r => r.width * r.height)",
        )
        assert all(size > 0 for size in sizes), "a diagram takes no room on the page"
    assert not [url for url in visit.requests if "mermaid" in url.lower()], "a page loaded Mermaid"
    assert visit.errors == []
    assert foreign_requests(visit.requests) == []


def search(page, site_url: str, query: str) -> list[str]:
    """Type a query into Material's search box; return the result pages' paths, best first."""
    page.goto(site_url, wait_until="load")
    box = page.locator("input.md-search__input")
    box.click()
    # Material searches on key events, not on a pasted value; and typing key by key
    # can leave results of a partial query on screen. So: set the value, then one key.
    box.fill(query)
    box.press("End")
    results = page.locator(".md-search-result__item > a")
    results.first.wait_for(timeout=10_000)
    base = urlsplit(site_url).path
    return [
        urlsplit(results.nth(i).get_attribute("href")).path.removeprefix(base) for i in range(results.count())
    ]


SEARCH_CASES = [
    # (what a reader types: a topic's usual name or a common synonym, the note that must come first)
    ("coupling", "foundations/coupling/"),
    ("stamp coupling", "foundations/coupling/"),
    ("self-contained systems", "foundations/monoliths-and-microservices/"),
    ("modular monolith", "foundations/monoliths-and-microservices/"),
    ("microservices", "foundations/monoliths-and-microservices/"),
    ("distributed monolith", "foundations/monoliths-and-microservices/"),
    ("micro-frontends", "foundations/monoliths-and-microservices/"),
    ("monolith", "foundations/monoliths-and-microservices/"),
    ("strangler fig", "foundations/monoliths-and-microservices/"),
    ("asynchronous communication", "foundations/sync-vs-async/"),
    ("202 Accepted", "foundations/sync-vs-async/"),
    ("request/response", "foundations/sync-vs-async/"),
    ("fallacies of distributed computing", "foundations/fallacies-of-distributed-computing/"),
    ("network is reliable", "foundations/fallacies-of-distributed-computing/"),
    ("eventual consistency", "data/atomic-vs-eventual-consistency/"),
    ("linearizable", "data/atomic-vs-eventual-consistency/"),
    ("read-your-writes", "data/atomic-vs-eventual-consistency/"),
    ("ACID", "data/acid-vs-base/"),
    ("BASE", "data/acid-vs-base/"),
    ("two-phase commit", "data/acid-vs-base/"),
    ("2PC", "data/acid-vs-base/"),
    ("transactional outbox", "data/outbox-and-cdc/"),
    ("change data capture", "data/outbox-and-cdc/"),
    ("dual write", "data/outbox-and-cdc/"),
    ("CDC", "data/outbox-and-cdc/"),
    ("orchestration", "workflows/orchestration-vs-choreography/"),
    ("choreography", "workflows/orchestration-vs-choreography/"),
    ("saga", "workflows/sagas/"),
    ("compensating transaction", "workflows/sagas/"),
    ("epic saga", "workflows/sagas/"),
    ("durable execution", "workflows/durable-execution/"),
    ("Temporal", "workflows/durable-execution/"),
    ("Step Functions", "workflows/durable-execution/"),
    ("workflow engine", "workflows/durable-execution/"),
    ("Dapr", "workflows/dapr/"),
    ("sidecar", "workflows/dapr/"),
    ("Dapr sidecar", "workflows/dapr/"),
    ("Restate", "workflows/durable-execution/"),
    ("Camunda", "workflows/durable-execution/"),
    ("Azure Durable Functions", "workflows/durable-execution/"),
    ("exponential backoff", "reliability/timeouts-retries-backoff/"),
    ("jitter", "reliability/timeouts-retries-backoff/"),
    ("circuit breaker", "reliability/resilience-patterns/"),
    ("bulkhead", "reliability/resilience-patterns/"),
    ("load shedding", "reliability/resilience-patterns/"),
    ("observability", "reliability/observability/"),
    ("trace context", "reliability/observability/"),
    ("error budget", "reliability/observability/"),
    ("API versioning", "traffic/api-versioning-and-contracts/"),
    ("schema registry", "traffic/api-versioning-and-contracts/"),
    ("consumer-driven contracts", "traffic/api-versioning-and-contracts/"),
    ("consumer-driven contract", "traffic/api-versioning-and-contracts/"),
    ("backpressure", "reliability/resilience-patterns/"),
    ("graceful degradation", "reliability/resilience-patterns/"),
    ("half-open", "reliability/resilience-patterns/"),
    ("OpenTelemetry", "reliability/observability/"),
    ("SLO", "reliability/observability/"),
    ("SLI", "reliability/observability/"),
    ("distributed tracing", "reliability/observability/"),
    ("golden signals", "reliability/observability/"),
    ("Protobuf", "traffic/api-versioning-and-contracts/"),
    ("Sunset header", "traffic/api-versioning-and-contracts/"),
    ("fallback", "reliability/timeouts-retries-backoff/"),
    ("idempotency", "reliability/idempotency/"),
    ("idempotency key", "reliability/idempotency/"),
    ("retry payment", "reliability/idempotency/"),
    ("event-driven architecture", "messaging/event-driven-architecture/"),
    ("event sourcing", "data/cqrs-and-event-sourcing/"),
    ("CQRS", "data/cqrs-and-event-sourcing/"),
    ("read model", "data/cqrs-and-event-sourcing/"),
    ("upcasting", "data/cqrs-and-event-sourcing/"),
    ("projection", "data/cqrs-and-event-sourcing/"),
    ("event store", "data/cqrs-and-event-sourcing/"),
    ("ADR", "practice/documenting-architecture/"),
    ("C4 model", "practice/documenting-architecture/"),
    ("architecture decision record", "practice/documenting-architecture/"),
    ("arc42", "practice/documenting-architecture/"),
    ("diagrams as code", "practice/documenting-architecture/"),
    ("EDA", "messaging/event-driven-architecture/"),
    ("message queue", "messaging/queues-topics-streams/"),
    ("publish/subscribe", "messaging/queues-topics-streams/"),
    ("Kafka vs RabbitMQ", "messaging/message-brokers-compared/"),
    ("message broker", "messaging/message-brokers-compared/"),
    ("Solace", "messaging/message-brokers-compared/"),
    ("Kafka", "messaging/message-brokers-compared/"),
    ("RabbitMQ", "messaging/message-brokers-compared/"),
    ("Pulsar", "messaging/message-brokers-compared/"),
    ("NATS", "messaging/message-brokers-compared/"),
    ("streams", "messaging/queues-topics-streams/"),
    ("at-least-once", "data/outbox-and-cdc/"),
    ("pub/sub", "messaging/queues-topics-streams/"),
    # Phrases made of short common words: "and", "out" and "of" match almost every
    # page (every query word is a prefix), so the defining note must carry the
    # phrase where Material weighs it most, in a heading.
    ("fire and forget", "foundations/sync-vs-async/"),
    ("fire-and-forget", "foundations/sync-vs-async/"),
    ("fan-out", "messaging/queues-topics-streams/"),
    ("fan out", "messaging/queues-topics-streams/"),
    ("single point of failure", "workflows/orchestration-vs-choreography/"),
    ("hot path", "scaling/the-hot-path/"),
    ("critical path", "scaling/the-hot-path/"),
    ("data layer", "scaling/the-data-layer/"),
    ("read replica", "scaling/the-data-layer/"),
    ("sharding", "scaling/the-data-layer/"),
    ("load balancer", "traffic/load-balancer-vs-api-gateway/"),
    ("API gateway", "traffic/load-balancer-vs-api-gateway/"),
    ("reverse proxy", "traffic/load-balancer-vs-api-gateway/"),
    ("backends for frontends", "traffic/backends-for-frontends/"),
    ("BFF", "traffic/backends-for-frontends/"),
    ("rate limiting", "traffic/rate-limiting/"),
    ("token bucket", "traffic/rate-limiting/"),
    ("throttling", "traffic/rate-limiting/"),
    ("virtual waiting room", "traffic/virtual-waiting-room/"),
    ("queue-based load levelling", "traffic/virtual-waiting-room/"),
    ("system design checklist", "practice/system-design-checklist/"),
    ("reading list", "practice/reading-list/"),
    ("glossary", "glossary/"),
]


@pytest.fixture(scope="module")
def search_page(browser):
    # One page for all queries: the browser cache keeps each search index load cheap.
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    yield page, requests
    context.close()


@pytest.mark.parametrize(("query", "expected"), SEARCH_CASES)
def test_search_finds_the_note_first(query: str, expected: str, site_url: str, search_page):
    page, requests = search_page
    results = search(page, site_url, query)
    assert results[0] == expected, f"{query!r} ranks {results[:3]} first"
    assert foreign_requests(requests) == []


def test_search_finds_a_page_by_a_word_of_its_body(site_url: str, tab):
    page, _ = tab
    # "depends" appears in the body of the coupling note, not in its title.
    assert "foundations/coupling/" in search(page, site_url, "depends")


def test_palette_toggle_switches_scheme(site_url: str, tab):
    page, _ = tab
    page.goto(site_url, wait_until="load")
    scheme = lambda: page.locator("body").get_attribute("data-md-color-scheme")  # noqa: E731
    assert scheme() == "default"
    seen = []
    for _ in range(3):
        page.locator("form[data-md-component='palette'] label:visible").first.click()
        seen.append(scheme())
    assert "slate" in seen
    assert seen[-1] == "default", "the toggle cycles back to following the system (light here)"
