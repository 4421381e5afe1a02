"""Discovery: what the devices say about their neighbours (LLDP over SNMP, NAPALM getters)."""
