"""Enumerations of the inventory, as Django TextChoices (the API and CSV use their values)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common import snmp_protocols


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    DECOMMISSIONED = "decommissioned", _("Decommissioned")


class EstablishmentCategory(models.TextChoices):
    HIGHER_EDUCATION = "higher_education", _("Higher education & research")
    HEALTH = "health", _("Health")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    LYCEE = "lycee", _("Lycée")
    COLLEGE = "college", _("Collège")
    ECOLE = "ecole", _("École")
    CULTURE = "culture", _("Culture")
    TOURISM = "tourism", _("Tourism")
    CHAMBER_OF_COMMERCE = "chamber_of_commerce", _("Chamber of commerce")
    TRAINING = "training", _("Training")


class Criticality(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class ContactRole(models.TextChoices):
    TECHNICAL = "technical", _("Technical")
    ADMINISTRATIVE = "administrative", _("Administrative")
    NOC = "noc", _("NOC / on call")
    BILLING = "billing", _("Billing")


class PopKind(models.TextChoices):
    BACKBONE = "backbone", _("Backbone")
    SECONDARY = "secondary", _("Secondary")


class DeviceRole(models.TextChoices):
    CPE = "cpe", _("CPE router")
    POP_ROUTER = "pop_router", _("PoP router")
    CORE_ROUTER = "core_router", _("Core router")
    SWITCH = "switch", _("Switch")


class Platform(models.TextChoices):
    """NAPALM driver names."""

    IOS = "ios", _("Cisco IOS")
    IOSXR = "iosxr", _("Cisco IOS-XR")
    NXOS = "nxos", _("Cisco NX-OS")
    JUNOS = "junos", _("Juniper Junos")
    EOS = "eos", _("Arista EOS")
    HUAWEI_VRP = "huawei_vrp", _("Huawei VRP")
    NONE = "", _("None")


class InterfaceType(models.TextChoices):
    VIRTUAL = "virtual", _("Virtual")
    ETH_100M = "100base-tx", _("100BASE-TX")
    ETH_1G = "1000base-t", _("1000BASE-T")
    SFP_1G = "1000base-x-sfp", _("SFP (1GE)")
    SFP_10G = "10gbase-x-sfpp", _("SFP+ (10GE)")
    XDSL = "xdsl", _("xDSL")
    LTE = "lte", _("LTE (4G)")


class InterfaceRole(models.TextChoices):
    UPLINK = "uplink", _("WAN uplink")
    BACKUP_UPLINK = "backup_uplink", _("Backup WAN uplink")
    LAN = "lan", _("LAN")
    ACCESS = "access", _("Access (PoP side)")
    BACKBONE = "backbone", _("Backbone")
    MANAGEMENT = "management", _("Management")


class LinkTechnology(models.TextChoices):
    FTTO = "ftto", _("Fibre (FTTO)")
    FTTH_PRO = "ftth_pro", _("FTTH pro")
    SDSL = "sdsl", _("SDSL")
    ADSL = "adsl", _("ADSL")
    LTE_BACKUP = "lte_backup", _("4G backup")
    BACKBONE = "backbone", _("Backbone")


class LinkRole(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    BACKUP = "backup", _("Backup")
    BACKBONE = "backbone", _("Backbone")


class Schedule(models.TextChoices):
    ALWAYS = "24/7", _("24/7")
    BUSINESS = "business", _("Business hours")


class ProbeMethod(models.TextChoices):
    """How the prober measures a device's link: the values are the prober's `Method`s."""

    TWAMP = "twamp", _("TWAMP-Light")
    ICMP = "icmp", _("ICMP echo")
    NONE = "none", _("Not probed")


class SNMPVersion(models.TextChoices):
    V2C = "v2c", _("SNMPv2c")
    V3 = "v3", _("SNMPv3")


# SNMPv3 protocols: one definition with the poller's (common.snmp_protocols), re-exported here.
AuthProtocol = snmp_protocols.AuthProtocol
PrivProtocol = snmp_protocols.PrivProtocol
