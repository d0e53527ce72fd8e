"""Backlinks: the "Referenced by" list each note gets, naming the notes that link to it.

Plain Python, no MkDocs: referrers.py reads every page's Markdown and writes the
list's Markdown. scripts/hooks/backlinks.py is the thin MkDocs adapter; another
builder calls the same two functions with its pages' sources. (Not named
`backlinks`: while MkDocs loads a hook, the hook's folder comes first on the
import path, so a package named like a hook would not be found.)
"""
