"""Grafana dashboards as code and the in-app pages that compose inventory objects with live data."""
