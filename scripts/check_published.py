#!/usr/bin/env python3
"""Check the built site's HTML and SVG (scripts/gates/published_html.py): `--help` for the options."""

import sys

from gates.published_html import main

if __name__ == "__main__":
    sys.exit(main())
