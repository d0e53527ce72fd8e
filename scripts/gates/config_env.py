"""`!ENV` in mkdocs.yml: only the variables named here.

`!ENV [NAME, default]` puts an environment variable into the configuration, and
from there possibly into every page (a `site_description: !ENV GITHUB_TOKEN`
publishes the token). The site reads OFFLINE alone (`make offline`).
"""

from __future__ import annotations

from pathlib import Path

import yaml
from content.site_config import _TolerantLoader

from gates.finding import Finding

ALLOWED = frozenset({"OFFLINE"})


def _env_nodes(node: yaml.Node):
    if node.tag == "!ENV":
        yield node
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _env_nodes(item)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _env_nodes(key)
            yield from _env_nodes(value)


def _names(node: yaml.Node) -> list[str]:
    if isinstance(node, yaml.ScalarNode):
        return [str(node.value)]
    # `!ENV [A, B, default]`: every item but the last is a variable name.
    items = [str(item.value) for item in node.value if isinstance(item, yaml.ScalarNode)]
    return items[:-1] if len(items) > 1 else items


def config_env(root: Path) -> list[Finding]:
    config = root / "mkdocs.yml"
    document = yaml.compose(config.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    findings = []
    for node in _env_nodes(document) if document is not None else []:
        for name in _names(node):
            if name not in ALLOWED:
                findings.append(
                    Finding(
                        config,
                        node.start_mark.line + 1,
                        f"!ENV {name}: only {', '.join(sorted(ALLOWED))} may be read from the environment",
                    )
                )
    return findings
