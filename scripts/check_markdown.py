#!/usr/bin/env python3
"""Lint the site's Markdown (scripts/gates/markdown_lint.py): `--help` for the options."""

import sys

from gates.markdown_lint import main

if __name__ == "__main__":
    sys.exit(main())
