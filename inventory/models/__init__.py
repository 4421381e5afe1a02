"""Inventory models, one module per concern; import them from here."""

from inventory.models.contracts import Contract, Operator, OperatorAccount, ServiceClass
from inventory.models.geography import Commune, Department
from inventory.models.network import Device, Interface, Link, Pop, SNMPProfile
from inventory.models.sites import Contact, Establishment, Tenant

__all__ = [
    "Commune",
    "Contact",
    "Contract",
    "Department",
    "Device",
    "Establishment",
    "Interface",
    "Link",
    "Operator",
    "OperatorAccount",
    "Pop",
    "SNMPProfile",
    "ServiceClass",
    "Tenant",
]
