"""The print edition: every note in nav order on one page, and a PDF of it.

Plain Python, no MkDocs: rewrite.py makes one page's HTML fit inside the print
page (unique ids, links that stay inside it, glossary expansions as text),
assemble.py puts the pages together with a table of contents, and pdf.py
prints the page to PDF with headless Chromium. scripts/hooks/print_page.py is
the thin MkDocs adapter; scripts/make_pdf.py the command.
"""
