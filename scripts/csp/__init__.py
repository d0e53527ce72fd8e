"""The Content-Security-Policy of every page: Material's own inline scripts by hash, nothing off-site."""
