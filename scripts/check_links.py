#!/usr/bin/env python3
"""Check the site's external links: `python scripts/check_links.py --help` for everything."""

import gc
import os
import sys

if __name__ == "__main__":
    # A run allocates many short-lived objects per request; collecting the youngest generation
    # every 700 allocations (the default) cost about a tenth of the CPU time (profiled, 2k links).
    # Set before the imports, which allocate objects that live as long as the run: at the
    # default, 45 collections scanned them while importing (5 ms of a one-link run, profiled).
    # Memory is bounded by the results either way: only the collector's rhythm changes.
    gc.set_threshold(50_000)
    # Before the imports below: the child imports the Markdown parser while this process imports
    # the rest and reads its settings (linkcheck/parse_child.py says why). What both need comes
    # first, so the child neither imports nor compiles it again: 17 to 24 ms less CPU on one
    # link, the same wall time (bench_links, alternating runs; the child waits on this process).
    import re  # noqa: F401

    import linkcheck.collect  # noqa: F401
    from linkcheck.parse_child import fork_parser

    parsing_child = fork_parser()
    from linkcheck.cli import main

    code = main(parsing_child=parsing_child)
    # Everything is written and closed by now: skip tearing the interpreter down (freeing every
    # module and object one by one), which took 10 to 15 ms of a one-link run (strace).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
