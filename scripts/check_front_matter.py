#!/usr/bin/env python3
"""Check every page's front matter (scripts/gates/front_matter.py): `--help` for the options."""

import sys

from gates.front_matter import main

if __name__ == "__main__":
    sys.exit(main())
