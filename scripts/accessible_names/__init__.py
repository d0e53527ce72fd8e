"""Accessible names that Material and Mermaid leave out of a page (axe-core's rules).

Plain Python, no MkDocs: diagrams.py names each diagram whose name only its
front matter declares; search_dialog.py names Material's search dialog.
scripts/hooks/name_diagrams.py and scripts/hooks/name_search_dialog.py are the
thin MkDocs adapters; another builder calls the same functions on each page's HTML.
"""
