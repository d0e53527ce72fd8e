#!/usr/bin/env python3
"""Check the site's external links: `python scripts/check_links.py --help` for everything."""

import sys

from linkcheck.cli import main

if __name__ == "__main__":
    sys.exit(main())
