"""Collectors: one per MIB concern; each turns SNMP replies into plain poll results."""
