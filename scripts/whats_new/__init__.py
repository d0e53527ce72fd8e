"""What's new: new and substantially changed notes by month, from git history,
as a page and an Atom feed.

Plain Python, no MkDocs: history.py reads git, changes.py decides what counts,
page.py and feed.py write the page's Markdown and the feed's XML.
scripts/hooks/whats_new_feed.py is the thin MkDocs adapter.
"""
