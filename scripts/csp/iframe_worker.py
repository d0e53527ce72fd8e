"""The one inline script of the offline copy that is not Material's: the iframe-worker shim's.

Opened from file://, a browser will not start a Web Worker, so the offline copy
runs Material's search worker in a hidden iframe (the pinned npm package
iframe-worker, published by scripts/hooks/vendor_iframe_worker.py). The shim
writes that iframe's document with one inline script made of two of its own
functions, as source text, and the worker's URL. The iframe inherits the page's
policy, so the page allows that script by its hash, computed here from the
shim's text and the worker URL in Material's __config.
"""

from __future__ import annotations

import json
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

# The two functions the shim (iframe-worker 1.0.4) writes into the iframe, exactly
# as its shim/index.js spells them: Function.prototype.toString gives the source.
POST_MESSAGE = 'function c(s,n){parent.postMessage(s,n||"*")}'
IMPORT_SCRIPTS = (
    "function d(...s){return s.reduce((n,e)=>n.then(()=>new Promise(r=>{let t=document.createElement"
    '("script");t.src=e,t.onload=r,document.body.appendChild(t)})),Promise.resolve())}'
)
TEMPLATE = (
    'postMessage={post};importScripts={imports};addEventListener("error",({{error}})=>'
    '{{parent.dispatchEvent(new ErrorEvent("error",{{filename:"{url}",error}}))}})'
)


class ShimChanged(ValueError):
    """The shim no longer writes the script this module knows: the hash would be wrong."""


def check_shim(shim: Path) -> None:
    text = shim.read_text(encoding="utf-8")
    if POST_MESSAGE not in text or IMPORT_SCRIPTS not in text or "<script>postMessage=${" not in text:
        raise ShimChanged(f"{shim} does not write the iframe script scripts/csp/iframe_worker.py knows")


def search_worker_url(page_html: str) -> str | None:
    """The search worker's URL as Material's __config gives it to `new Worker()`."""
    node = LexborHTMLParser(page_html).css_first('script#__config[type="application/json"]')
    if node is None:
        return None
    try:
        url = json.loads(node.text(deep=True)).get("search")
    except (ValueError, AttributeError):
        return None
    return url if isinstance(url, str) else None


def iframe_script(worker_url: str) -> str:
    return TEMPLATE.format(post=POST_MESSAGE, imports=IMPORT_SCRIPTS, url=worker_url)
