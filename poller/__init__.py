"""SNMP pollers (asyncio, pysnmp) turning inventory targets into samples and events; the lab."""
