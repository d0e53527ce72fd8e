"""Build a page's Content-Security-Policy and put it in the page as a <meta>.

GitHub Pages sets no headers of our choosing, so the policy travels in
`<meta http-equiv="Content-Security-Policy">`, first thing in <head>, before any
script. Scripts: this site's own files, plus Material's own inline scripts by
the SHA-256 of their text, computed from the finished page; an inline script
that is not Material's gets no hash and does not run. Everything else: this
site only. Styles may be inline (Mermaid draws each diagram with a <style> of
its own, in the browser or at build time), but a style cannot load anything
from elsewhere, since images and fonts have their own directives.

The policy does not depend on diagrams: with or without Mermaid, scripts come
from 'self' and styles from 'self' plus inline.
"""

from __future__ import annotations

import base64
import hashlib
import html

from selectolax.lexbor import LexborHTMLParser

from csp.iframe_worker import iframe_script, search_worker_url
from csp.theme_scripts import is_theme_script

# Material writes this first in <head>; the policy goes right after it, before any script.
CHARSET = '<meta charset="utf-8">'
META_START = '<meta http-equiv="Content-Security-Policy"'


class PolicyError(ValueError):
    """The page is not shaped as Material writes it, so the policy cannot go where it must."""


def script_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def theme_script_hashes(page_html: str) -> list[str]:
    """Hashes of the page's inline scripts that are Material's own, in page order, once each."""
    hashes: list[str] = []
    for node in LexborHTMLParser(page_html).css("script"):
        if "src" in node.attributes or node.attributes.get("type") == "application/json":
            continue
        text = node.text(deep=True)
        if is_theme_script(text) and (digest := script_hash(text)) not in hashes:
            hashes.append(digest)
    return hashes


def policy(page_html: str, *, offline_copy: bool = False) -> str:
    """The policy for this page. `offline_copy`: the copy opened from file://, whose
    search runs in an iframe (the iframe-worker shim) instead of a Web Worker."""
    scripts = ["'self'", *theme_script_hashes(page_html)]
    if offline_copy and (worker := search_worker_url(page_html)):
        scripts.append(script_hash(iframe_script(worker)))
    directives = {
        "default-src": ["'self'"],
        "script-src": scripts,
        "style-src": ["'self'", "'unsafe-inline'"],
        # Material's icons are data: SVG masks in its own stylesheet.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "frame-src": ["'self'"] if offline_copy else ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def with_policy(page_html: str, *, offline_copy: bool = False) -> str:
    """The page with its policy as the first element after <meta charset>."""
    if META_START in page_html:
        raise PolicyError("the page already has a Content-Security-Policy <meta>")
    head, charset, rest = page_html.partition(CHARSET)
    if not charset or "<script" in head:
        raise PolicyError(f"no {CHARSET} before the first script to put the policy after")
    content = html.escape(policy(page_html, offline_copy=offline_copy), quote=False).replace('"', "&quot;")
    meta = f'{META_START} content="{content}">'
    return f"{head}{charset}\n    {meta}{rest}"
