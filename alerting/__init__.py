"""Outage detection, root cause on the topology, incidents and paging of operators."""
