"""Old URLs keep working: redirect pages for renamed or moved pages, and the list
of every page ever published that the published-pages gate holds the site to.

Plain Python, no MkDocs: scripts/hooks/redirect_old_urls.py writes the pages during a
MkDocs build, scripts/gates/published_pages.py checks a change against the list,
and scripts/record_published_pages.py updates the list on purpose.
"""
