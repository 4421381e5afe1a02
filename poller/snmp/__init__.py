"""A typed SNMP session: numeric OIDs in, typed values or domain exceptions out."""
