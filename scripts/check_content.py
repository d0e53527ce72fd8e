#!/usr/bin/env python3
"""Run the content gates (scripts/gates/): `python scripts/check_content.py --help`."""

import sys

from gates.content_gates import main

if __name__ == "__main__":
    sys.exit(main())
