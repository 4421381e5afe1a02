"""The system of record: geography, establishments, PoPs, devices, interfaces, links, contracts."""
