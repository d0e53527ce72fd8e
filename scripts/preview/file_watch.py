"""Watch one file that may not exist yet, such as the link checker's report.

A watcher can watch a file only while it exists (watchdog, behind MkDocs'
server, takes a missing path for a folder and stops on it), and watching the
file's folder instead would also rebuild on everything else written there (the
link checker's cache, beside its report, changes with every verdict). So:

- while the file exists, the file itself is watched: an edit, its removal or
  its replacement each rebuild;
- while it does not, its folder is watched (made first if missing), so that
  its creation rebuilds; the next build then moves the watch to the file.

`arm` is run once when serving starts and after every build; a folder that
cannot be made is reported once through `warn`, never left silently unwatched.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


class FileWatch:
    def __init__(
        self,
        path: Path,
        watch: Callable[[Path], None],
        unwatch: Callable[[Path], None],
        warn: Callable[[str], None],
    ) -> None:
        self.path = path
        self._watch = watch
        self._unwatch = unwatch
        self._warn = warn
        self.watched: Path | None = None
        self._warned = False

    def target(self) -> tuple[Path | None, bool]:
        """What to watch now, and whether it was just made (so any earlier watch of it is void)."""
        if self.path.is_file():
            return self.path, False
        folder = self.path.parent
        if folder.is_dir():
            return folder, False
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            if not self._warned:
                self._warned = True
                self._warn(
                    f"cannot watch {self.path}: its folder cannot be made ({error.strerror or error}); "
                    "a change to it shows only once another edit rebuilds the site"
                )
            return None, False
        return folder, True

    def arm(self) -> None:
        target, made = self.target()
        if target == self.watched:
            if made and target is not None:
                # The folder was removed and made again: its old watch stopped with it.
                self._unwatch(target)
                self._watch(target)
            return
        # Watch the new target before dropping the old one, so no change falls in between.
        if target is not None:
            self._watch(target)
        if self.watched is not None:
            self._unwatch(self.watched)
        self.watched = target
