"""Draw Mermaid diagrams as SVG text at build time, in headless Chromium, with a content-hash cache.

Plain Python with no MkDocs import: a builder's adapter (scripts/hooks/
prerender_diagrams.py for MkDocs) hands in Mermaid sources and settings and
gets SVG strings back, to put in its pages in place of the diagrams' code.
"""
