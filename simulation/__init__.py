"""The simulated world the demo, the benchmarks and the tests run against.

`lab` (SNMP agents and TWAMP reflectors on loopback, `menhir lab`), `seed` (the reference network,
`menhir inventory seed`), `sla_history` (a generated month of incidents, tickets and claims,
`menhir sla generate-history`) and `traffic_history` (the demo's month of traffic). It depends on
the domain; nothing in the domain imports it (an import-linter contract in pyproject.toml).
"""
