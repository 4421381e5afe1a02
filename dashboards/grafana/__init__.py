"""Grafana as code: dashboards built with grafana-foundation-sdk, rendered to committed JSON,
pushed through Grafana's HTTP API; alert rules and the contact point; the read-only role."""
