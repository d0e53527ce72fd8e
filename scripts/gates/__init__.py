"""The content gates: checks a reviewer would otherwise make by eye, each finding
with file and line. `content_gates` lists them and runs them; each rule is a
module of its own. `make check` runs them through the tests marked `gate`."""
