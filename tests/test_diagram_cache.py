"""The drawings cache (scripts/diagrams/cache.py): entries no build used for KEEP_DAYS days are
pruned, and a lookup marks an entry used."""

from __future__ import annotations

from pathlib import Path

from diagram_renderer import age
from diagrams.cache import KEEP_DAYS, DrawingCache


def test_pruning_removes_what_no_build_used_for_the_keep_days_and_keeps_the_rest(tmp_path: Path):
    cache = DrawingCache(tmp_path)
    for key in ("aa01", "aa02", "bb01", "cc01"):
        cache.put(key, f"<svg>{key}</svg>")
    old_entries = [tmp_path / "aa/aa01.svg", tmp_path / "bb/bb01.svg", tmp_path / "cc/cc01.svg"]
    for path in old_entries:
        age(path, KEEP_DAYS + 1)
    age(tmp_path / "aa/aa02.svg", KEEP_DAYS - 1)
    # A temporary file a killed build left behind, long ago.
    (tmp_path / "cc/tmpx.tmp").write_text("torn")
    age(tmp_path / "cc/tmpx.tmp", KEEP_DAYS + 5)
    # Used by this build: a lookup marks it used now.
    assert cache.get("bb01") == "<svg>bb01</svg>"

    pruned = cache.prune()

    assert (pruned.removed, pruned.kept) == (3, 2)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "aa",
        "aa/aa02.svg",
        "bb",
        "bb/bb01.svg",
    ]
    assert cache.get("aa01") is None and cache.get("aa02") == "<svg>aa02</svg>"
