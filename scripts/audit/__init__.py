"""Support for the Lighthouse audit (scripts/audit_site.py)."""
