"""Alerting API: incidents (list, detail with timeline and impact, acknowledge)."""
