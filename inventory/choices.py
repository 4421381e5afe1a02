"""Enumerations of the inventory, as Django TextChoices (the API and CSV use their values)."""

from django.db import models

from common import snmp_protocols


class Status(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    DECOMMISSIONED = "decommissioned", "Decommissioned"


class EstablishmentCategory(models.TextChoices):
    HIGHER_EDUCATION = "higher_education", "Higher education & research"
    HEALTH = "health", "Health"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    LYCEE = "lycee", "Lycée"
    COLLEGE = "college", "Collège"
    ECOLE = "ecole", "École"
    CULTURE = "culture", "Culture"
    TOURISM = "tourism", "Tourism"
    CHAMBER_OF_COMMERCE = "chamber_of_commerce", "Chamber of commerce"
    TRAINING = "training", "Training"


class Criticality(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class ContactRole(models.TextChoices):
    TECHNICAL = "technical", "Technical"
    ADMINISTRATIVE = "administrative", "Administrative"
    NOC = "noc", "NOC / on call"
    BILLING = "billing", "Billing"


class PopKind(models.TextChoices):
    BACKBONE = "backbone", "Backbone"
    SECONDARY = "secondary", "Secondary"


class DeviceRole(models.TextChoices):
    CPE = "cpe", "CPE router"
    POP_ROUTER = "pop_router", "PoP router"
    CORE_ROUTER = "core_router", "Core router"
    SWITCH = "switch", "Switch"


class Platform(models.TextChoices):
    """NAPALM driver names."""

    IOS = "ios", "Cisco IOS"
    IOSXR = "iosxr", "Cisco IOS-XR"
    NXOS = "nxos", "Cisco NX-OS"
    JUNOS = "junos", "Juniper Junos"
    EOS = "eos", "Arista EOS"
    HUAWEI_VRP = "huawei_vrp", "Huawei VRP"
    NONE = "", "None"


class InterfaceType(models.TextChoices):
    VIRTUAL = "virtual", "Virtual"
    ETH_100M = "100base-tx", "100BASE-TX"
    ETH_1G = "1000base-t", "1000BASE-T"
    SFP_1G = "1000base-x-sfp", "SFP (1GE)"
    SFP_10G = "10gbase-x-sfpp", "SFP+ (10GE)"
    XDSL = "xdsl", "xDSL"
    LTE = "lte", "LTE (4G)"


class InterfaceRole(models.TextChoices):
    UPLINK = "uplink", "WAN uplink"
    BACKUP_UPLINK = "backup_uplink", "Backup WAN uplink"
    LAN = "lan", "LAN"
    ACCESS = "access", "Access (PoP side)"
    BACKBONE = "backbone", "Backbone"
    MANAGEMENT = "management", "Management"


class LinkTechnology(models.TextChoices):
    FTTO = "ftto", "Fibre (FTTO)"
    FTTH_PRO = "ftth_pro", "FTTH pro"
    SDSL = "sdsl", "SDSL"
    ADSL = "adsl", "ADSL"
    LTE_BACKUP = "lte_backup", "4G backup"
    BACKBONE = "backbone", "Backbone"


class LinkRole(models.TextChoices):
    PRIMARY = "primary", "Primary"
    BACKUP = "backup", "Backup"
    BACKBONE = "backbone", "Backbone"


class Schedule(models.TextChoices):
    ALWAYS = "24/7", "24/7"
    BUSINESS = "business", "Business hours"


class SNMPVersion(models.TextChoices):
    V2C = "v2c", "SNMPv2c"
    V3 = "v3", "SNMPv3"


# SNMPv3 protocols: one definition with the poller's (common.snmp_protocols), re-exported here.
AuthProtocol = snmp_protocols.AuthProtocol
PrivProtocol = snmp_protocols.PrivProtocol
