"""Every reference URL of the owner's seed notes is on the site, exactly, where it belongs.

The list is held here on purpose: a note rewrite that drops a reference fails
this test instead of silently losing a source.
"""

# ruff: noqa: E501  (reference URLs are kept whole, so they can be searched for)

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from content.site_pages import docs_path, site_pages
from linkcheck.collect import markdown_urls
from site_build import REPO_ROOT

pytestmark = pytest.mark.gate

READING_LIST = "practice/reading-list.md"

# Each seed URL and the notes it must be cited in besides the reading list
# (empty where the reading list is its only natural home).
SEED_REFERENCES: dict[str, tuple[str, ...]] = {
    "https://www.manning.com/books/the-coder-cafe": (),
    "https://www.manning.com/books/grokking-software-architecture": (),
    "https://www.oreilly.com/videos/software-architecture-fundamentals/0642572016094/": (),
    "https://bytebytego.com": (),
    "https://highscalability.com": (),
    "https://github.com/donnemartin/system-design-primer": (),
    "https://github.com/karanpratapsingh/system-design": (),
    "https://www.karanpratapsingh.com/courses/system-design": (),
    "https://leanpub.com/systemdesign": (),
    "https://github.com/bregman-arie/system-design-notebook": (),
    "https://github.com/binhnguyennus/awesome-scalability": (),
    "https://www.developertoarchitect.com": (),
    "https://www.developertoarchitect.com/lessons/": ("foundations/sync-vs-async.md",),
    "https://www.youtube.com/@markrichards5014": (),
    "https://learn.microsoft.com/en-us/azure/architecture/patterns/": (
        "traffic/load-balancer-vs-api-gateway.md",
    ),
    "https://medium.com/insiden26/engineering-at-n26-a-tour-of-our-tech-stack-and-architecture-9e58ce96f889": (
        "messaging/event-driven-architecture.md",
    ),
    "https://github.com/ByteByteGoHq/system-design-101": (),
    "https://scs-architecture.org": ("foundations/coupling.md",),
    "https://github.com/dapr/dapr": ("workflows/orchestration-vs-choreography.md",),
    "https://dapr.io": ("workflows/orchestration-vs-choreography.md",),
    "https://aws.amazon.com/solutions/implementations/virtual-waiting-room-on-aws/": (
        "traffic/virtual-waiting-room.md",
    ),
    "https://www.linkedin.com/posts/raul-junco_every-system-has-a-hot-path-and-its-the-activity-7396182757405638656-lpWS/": (
        "scaling/the-hot-path.md",
    ),
    "https://www.linkedin.com/posts/raul-junco_i-have-seen-this-mistake-in-production-the-activity-7434222637809033216-dUU3/": (
        "data/outbox-and-cdc.md",
    ),
    "https://newsletter.systemdesignclassroom.com/p/every-backend-engineer-needs-to-know": (
        "reliability/idempotency.md",
    ),
    "https://www.oreilly.com/videos/software-architecture-fundamentals-diagramming/0636920342540/": (),
    "https://www.linkedin.com/posts/raul-junco_system-design-isnt-one-big-concept-it-activity-7386008937277472768-Xfnq/": (
        "practice/system-design-checklist.md",
    ),
    "https://algomaster.io/learn/system-design/course-introduction": (),
    "https://algomaster.io/learn/system-design-interviews/introduction": (),
    "https://www.linkedin.com/posts/raul-junco_i-treat-system-design-like-a-checklist-activity-7415014883634905088-RpTW/": (
        "practice/system-design-checklist.md",
    ),
    "https://en.wikipedia.org/wiki/Coupling_(computer_programming)": ("foundations/coupling.md",),
    "https://aphyr.com/posts/313-strong-consistency-models": ("data/atomic-vs-eventual-consistency.md",),
    "https://www.youtube.com/watch?v=I47J2I-SVi0": ("data/acid-vs-base.md",),
    "https://microservices.io/articles/dark-energy-dark-matter/dark-matter/prefer-acid-over-base.html": (
        "data/acid-vs-base.md",
    ),
    "https://chrisrichardson.net/virtual-bootcamp-distributed-data-management.html": (
        "data/acid-vs-base.md",
    ),
    "https://learn.microsoft.com/en-us/azure/architecture/patterns/choreography": (
        "workflows/orchestration-vs-choreography.md",
    ),
    "https://learn.microsoft.com/en-us/azure/architecture/patterns/saga": ("workflows/sagas.md",),
    "https://microservices.io/patterns/data/saga.html": ("workflows/sagas.md",),
    "https://learn.microsoft.com/en-us/azure/architecture/patterns/compensating-transaction": (
        "workflows/sagas.md",
    ),
    "https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/": (
        "reliability/timeouts-retries-backoff.md",
    ),
    "https://d1.awsstatic.com/builderslibrary/pdfs/avoiding-fallback-in-distributed-systems.pdf": (
        "reliability/timeouts-retries-backoff.md",
    ),
    "https://www.thoughtworks.com/radar/platforms/restate": (
        "data/atomic-vs-eventual-consistency.md",
        "workflows/orchestration-vs-choreography.md",
    ),
    "https://arnon.me/2025/03/services-vs-monoliths-tradeoffs/": ("foundations/coupling.md",),
    "https://www.manning.com/books/think-distributed-systems": (
        "foundations/fallacies-of-distributed-computing.md",
    ),
    "https://en.wikipedia.org/wiki/Fallacies_of_distributed_computing": (
        "foundations/fallacies-of-distributed-computing.md",
    ),
    "https://arnon.me/wp-content/uploads/Files/fallacies.pdf": (
        "foundations/fallacies-of-distributed-computing.md",
    ),
    "https://www.researchgate.net/publication/322500050_Fallacies_of_Distributed_Computing_Explained": (
        "foundations/fallacies-of-distributed-computing.md",
    ),
    "https://www.developertoarchitect.com/lessons/lesson18.html": (
        "foundations/fallacies-of-distributed-computing.md",
    ),
    "https://github.com/thangchung/go-coffeeshop": ("messaging/event-driven-architecture.md",),
    "https://www.developertoarchitect.com/lessons-eda.html": ("messaging/event-driven-architecture.md",),
    "https://en.wikipedia.org/wiki/Event-driven_architecture": ("messaging/event-driven-architecture.md",),
    "https://www.linkedin.com/posts/rocky-bhatia-a4801010_kafka-vs-rabbitmq-vs-sqs-vs-solace-choosing-share-7455218155771260928-3Inx/": (
        "messaging/queues-topics-streams.md",
    ),
    "https://learn.microsoft.com/en-us/azure/architecture/patterns/backends-for-frontends": (
        "traffic/backends-for-frontends.md",
    ),
    "https://learn.microsoft.com/en-us/azure/architecture/patterns/rate-limiting-pattern": (
        "traffic/rate-limiting.md",
    ),
}


@cache
def links_by_page() -> dict[str, set[str]]:
    """Each page's link targets, as the Markdown parser reads them (not as raw text)."""
    return {
        docs_path(REPO_ROOT, page): {url for _, url in markdown_urls(page.read_text(encoding="utf-8"))}
        for page in site_pages(REPO_ROOT)
    }


def test_the_list_holds_every_seed_url():
    assert len(SEED_REFERENCES) == 53


@pytest.mark.parametrize("url", SEED_REFERENCES)
def test_the_reading_list_links_the_seed_url(url: str):
    assert url in links_by_page()[READING_LIST]


@pytest.mark.parametrize(
    ("url", "page"), [(url, page) for url, pages in SEED_REFERENCES.items() for page in pages]
)
def test_the_note_it_belongs_to_links_the_seed_url(url: str, page: str):
    assert url in links_by_page()[page], f"{page} does not link {url}"


def test_a_changed_character_is_caught(tmp_path: Path):
    # "Exactly" means character for character: a URL that lost its parentheses
    # or its trailing slash is a different link.
    text = "[x](https://en.wikipedia.org/wiki/Coupling_computer_programming)\n[y](https://dapr.io/)\n"
    found = {url for _, url in markdown_urls(text)}
    assert "https://en.wikipedia.org/wiki/Coupling_(computer_programming)" not in found
    assert "https://dapr.io" not in found
