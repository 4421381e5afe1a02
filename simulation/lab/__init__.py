"""`menhir lab`: simulated SNMP agents for every device of the inventory, on loopback.

The agent core (model, ber, codecs, usm, mib, traffic, agent, faults) takes plain frozen values and
imports no Django; `inventory_adapter` is the only module that reads the ORM.
"""
