"""Topology API: SPOF, impact, path, redundancy, findings and graph export under /api/topology/."""
