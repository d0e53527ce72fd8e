"""Put a Content-Security-Policy <meta> in every page (logic in scripts/csp/policy.py).

Runs after every other hook has changed the page (lowest priority), so that the
hashes are those of the scripts the reader's browser will see.
"""

from __future__ import annotations

import scripts_root  # noqa: F401  (makes scripts/ importable; see scripts_root.py)
from csp.iframe_worker import ShimChanged, check_shim
from csp.policy import PolicyError, with_policy
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page
from pinned_npm import offline_copy_enabled, pinned_file


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if offline_copy_enabled(config):
        # The offline copy allows the search shim's iframe script by a hash computed
        # from the shim's known text: fail now if the pinned shim writes another.
        try:
            check_shim(pinned_file("iframe-worker", "shim/index.js"))
        except ShimChanged as error:
            raise PluginError(str(error)) from error
    return config


def _add_policy(html: str, where: str, config: MkDocsConfig) -> str:
    try:
        return with_policy(html, offline_copy=offline_copy_enabled(config))
    except PolicyError as error:
        raise PluginError(f"{where}: {error}") from error


@event_priority(-100)
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return _add_policy(output, page.file.src_uri, config)


@event_priority(-100)
def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    # 404.html is a theme template, not a page; sitemap.xml is not HTML.
    if not template_name.endswith(".html"):
        return output_content
    return _add_policy(output_content, template_name, config)
