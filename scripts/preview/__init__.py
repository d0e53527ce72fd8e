"""What `make serve` needs for a live preview of every edit, in plain Python (no MkDocs import):

- reload.py: an edited module under scripts/ is used at the next rebuild, the
  hooks the builder keeps loaded included;
- file_watch.py: a file outside docs/ that may not exist yet (the link checker's
  report) is watched, and watched again as it comes and goes;
- builds.py: run steps before and after each rebuild;
- templates.py: compiled Jinja templates kept across rebuilds.

scripts/hooks/live_preview.py and scripts/hooks/link_health.py are the thin
MkDocs adapters. This package itself is never reloaded (it does the reloading):
an edit to it needs a restart of `make serve`. (Not named `live_preview`: while
MkDocs loads a hook, the hook's folder comes first on the import path, so a
package named like a hook would not be found.)
"""
