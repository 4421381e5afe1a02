"""Alerting API: incidents (list, detail with timeline and impact, acknowledge), operators'
tickets with their suspensions and reopenings, maintenance windows."""
