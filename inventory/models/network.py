"""The network itself: PoPs, devices, their interfaces, the links between them, SNMP access."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.fields import EncryptedCharField, validate_latitude, validate_longitude
from common.models import ChangeLoggedModel, PrimaryModel
from common.snmp_protocols import AUTH_CHOICES, PRIV_CHOICES
from inventory.choices import (
    AuthProtocol,
    DeviceRole,
    InterfaceRole,
    InterfaceType,
    LinkRole,
    LinkTechnology,
    Platform,
    PopKind,
    PrivProtocol,
    ProbeMethod,
    SNMPVersion,
    Status,
)


class Pop(PrimaryModel):
    """A point of presence: a backbone node in a main city, or a secondary one hanging off it."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=PopKind.choices, default=PopKind.BACKBONE
    )
    commune = models.ForeignKey(
        "inventory.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="pops",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The backbone PoP a secondary PoP hangs off."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[validate_latitude]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[validate_longitude]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("PoP")
        verbose_name_plural = _("PoPs")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("inventory:pop", args=[self.pk])

    def clean(self) -> None:
        if self.kind == PopKind.BACKBONE and self.parent_id:
            raise ValidationError({"parent": "A backbone PoP has no parent."})
        if self.kind == PopKind.SECONDARY and not self.parent_id:
            raise ValidationError({"parent": "A secondary PoP hangs off a backbone PoP."})


@lru_cache(maxsize=256)
def _parse_networks(
    prefixes: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Parsed once per distinct scope: every device of a cycle's targets asks (`reaches`)."""
    return tuple(ipaddress.ip_network(p, strict=False) for p in prefixes)


class SNMPProfile(ChangeLoggedModel):
    """How to reach devices over SNMP. The secrets are encrypted at rest and never shown."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    version = models.CharField(
        _("version"), max_length=5, choices=SNMPVersion.choices, default=SNMPVersion.V2C
    )
    community = EncryptedCharField(_("community"), blank=True)
    username = models.CharField(_("v3 user"), max_length=100, blank=True)
    auth_protocol = models.CharField(
        _("auth protocol"), max_length=10, choices=AUTH_CHOICES, default=AuthProtocol.NONE
    )
    auth_key = EncryptedCharField(_("auth key"), blank=True)
    priv_protocol = models.CharField(
        _("priv protocol"), max_length=10, choices=PRIV_CHOICES, default=PrivProtocol.NONE
    )
    priv_key = EncryptedCharField(_("priv key"), blank=True)
    port = models.PositiveIntegerField(_("port"), default=161)
    timeout_ms = models.PositiveIntegerField(_("timeout ms"), default=2000)
    retries = models.PositiveSmallIntegerField(_("retries"), default=1)
    # Where the secrets may be sent (issue 13, finding 2): set by administrators only. A device
    # on this profile must have its management address inside one of these prefixes, and the
    # poller and discovery send the secrets nowhere else. Empty: anywhere (`menhir check`
    # refuses that in production when non-loopback polling is on).
    allowed_networks = models.JSONField(
        _("allowed networks"),
        default=list,
        blank=True,
        help_text=_(
            "CIDR prefixes the devices of this profile must be in, e.g. "
            '["10.20.0.0/16"] (admins only; empty: no restriction)'
        ),
    )

    secret_fields = ("community", "auth_key", "priv_key")

    def networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        return _parse_networks(tuple(str(n) for n in self.allowed_networks or []))

    def reaches(self, address: str | None) -> bool:
        """Whether this profile's secrets may be sent to `address`."""
        if not self.allowed_networks:
            return True
        if not address:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in net for net in self.networks())

    class Meta:
        ordering = ["name"]
        verbose_name = _("SNMP profile")
        verbose_name_plural = _("SNMP profiles")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not isinstance(self.allowed_networks, list):
            errors["allowed_networks"] = 'A list of CIDR prefixes, e.g. ["10.20.0.0/16"].'
        else:
            try:
                self.networks()
            except (TypeError, ValueError) as exc:
                errors["allowed_networks"] = f"Not a CIDR prefix: {exc}"
        if self.version == SNMPVersion.V2C and not self.community:
            errors["community"] = "SNMPv2c needs a community."
        if self.version == SNMPVersion.V3:
            if not self.username:
                errors["username"] = "SNMPv3 needs a user name."
            if self.auth_protocol != AuthProtocol.NONE and len(self.auth_key or "") < 8:
                errors["auth_key"] = "An SNMPv3 authentication key has at least 8 characters."
            if self.priv_protocol != PrivProtocol.NONE:
                if self.auth_protocol == AuthProtocol.NONE:
                    errors["priv_protocol"] = "Privacy needs authentication (authPriv)."
                if len(self.priv_key or "") < 8:
                    errors["priv_key"] = "An SNMPv3 privacy key has at least 8 characters."
        if errors:
            raise ValidationError(errors)


class Device(PrimaryModel):
    """A managed device: a site's CPE router, or a router or switch in a PoP."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    role = models.CharField(_("role"), max_length=20, choices=DeviceRole.choices)
    platform = models.CharField(
        _("platform"),
        max_length=20,
        choices=Platform.choices,
        blank=True,
        help_text=_("NAPALM driver"),
    )
    vendor = models.CharField(_("vendor"), max_length=50, blank=True)
    model = models.CharField(_("model"), max_length=100, blank=True)
    serial = models.CharField(_("serial"), max_length=50, blank=True, db_index=True)
    establishment = models.ForeignKey(
        "inventory.Establishment",
        verbose_name=_("establishment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="devices",
    )
    pop = models.ForeignKey(
        Pop,
        verbose_name=_("pop"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="devices",
    )
    management_address = models.GenericIPAddressField(
        _("management address"), unique=True, null=True, blank=True
    )
    snmp_profile = models.ForeignKey(
        SNMPProfile,
        verbose_name=_("snmp profile"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="devices",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    probe_method = models.CharField(
        _("probe method"),
        max_length=10,
        choices=ProbeMethod.choices,
        default=ProbeMethod.TWAMP,
        help_text=_(
            "How the prober measures latency, loss and jitter of this device's access links: "
            "TWAMP-Light (operators' routers answer it), ICMP echo, or not at all"
        ),
    )

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["name"]
        indexes = [models.Index(fields=["role"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("inventory:device", args=[self.pk])

    def clean(self) -> None:
        if self.role == DeviceRole.CPE and not self.establishment_id:
            raise ValidationError({"establishment": "A CPE belongs to an establishment."})
        if self.role in (DeviceRole.POP_ROUTER, DeviceRole.CORE_ROUTER) and not self.pop_id:
            raise ValidationError({"pop": "A PoP or core router stands in a PoP."})
        if self.establishment_id and self.pop_id:
            raise ValidationError("A device is either at an establishment or in a PoP, not both.")
        profile = self.snmp_profile if self.snmp_profile_id else None
        if profile is not None and not profile.reaches(self.management_address):
            raise ValidationError(
                {
                    "management_address": f"Outside the address scope of SNMP profile "
                    f"{profile.name!r} ({', '.join(map(str, profile.allowed_networks))}): its "
                    "secrets are never sent there. An administrator sets that scope."
                }
            )


class Interface(ChangeLoggedModel):
    """A port of a device, as SNMP's ifTable sees it (ifIndex) and as people name it."""

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.CASCADE, related_name="interfaces"
    )
    name = models.CharField(_("name"), max_length=64)
    if_index = models.PositiveIntegerField(_("ifIndex"), null=True, blank=True)
    type = models.CharField(
        _("type"), max_length=20, choices=InterfaceType.choices, default=InterfaceType.ETH_1G
    )
    speed_bps = models.PositiveBigIntegerField(_("speed (bit/s)"), null=True, blank=True)
    role = models.CharField(
        _("role"), max_length=20, choices=InterfaceRole.choices, default=InterfaceRole.LAN
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("interface")
        verbose_name_plural = _("interfaces")
        ordering = ["device", "if_index", "name"]
        constraints = [
            models.UniqueConstraint(fields=["device", "name"], name="interface_unique_name"),
            models.UniqueConstraint(fields=["device", "if_index"], name="interface_unique_ifindex"),
        ]

    def __str__(self) -> str:
        return f"{self.device.name} {self.name}"


class Link(PrimaryModel):
    """A circuit: an access link of an establishment (= an SLA subscription) or a backbone link.

    The A end is the site's CPE side (or one backbone PoP), the Z end the PoP side.
    """

    operator = models.ForeignKey(
        "inventory.Operator",
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        related_name="links",
    )
    circuit_id = models.CharField(_("operator circuit id"), max_length=100)
    technology = models.CharField(_("technology"), max_length=20, choices=LinkTechnology.choices)
    role = models.CharField(
        _("role"), max_length=10, choices=LinkRole.choices, default=LinkRole.PRIMARY
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    establishment = models.ForeignKey(
        "inventory.Establishment",
        verbose_name=_("establishment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="links",
    )
    a_interface = models.OneToOneField(
        Interface,
        verbose_name=_("a interface"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="link_a",
    )
    z_interface = models.OneToOneField(
        Interface,
        verbose_name=_("z interface"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="link_z",
    )
    committed_down_bps = models.PositiveBigIntegerField(
        _("committed rate down (bit/s)"), null=True, blank=True
    )
    committed_up_bps = models.PositiveBigIntegerField(
        _("committed rate up (bit/s)"), null=True, blank=True
    )
    port_speed_bps = models.PositiveBigIntegerField(_("port speed (bit/s)"), null=True, blank=True)
    contract = models.ForeignKey(
        "inventory.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="links",
    )
    service_class = models.ForeignKey(
        "inventory.ServiceClass",
        verbose_name=_("service class"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="links",
    )
    monthly_fee_ht = models.DecimalField(
        _("monthly fee (€ HT)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    service_start = models.DateTimeField(_("service start"), null=True, blank=True)
    service_end = models.DateTimeField(_("service end"), null=True, blank=True)
    duct = models.CharField(
        _("duct"),
        max_length=100,
        blank=True,
        help_text=_("Civil-works path; two links in one duct share a fate."),
    )

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["operator", "circuit_id"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "circuit_id"], name="link_unique_circuit"),
        ]
        indexes = [models.Index(fields=["role"]), models.Index(fields=["technology"])]

    def __str__(self) -> str:
        return f"{self.operator.name} {self.circuit_id}"

    def get_absolute_url(self) -> str:
        return reverse("inventory:link", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.a_interface_id and self.a_interface_id == self.z_interface_id:
            errors["z_interface"] = "A link cannot end on the interface it starts from."
        for side in ("a_interface", "z_interface"):
            iface_id = getattr(self, f"{side}_id")
            other = "link_z" if side == "a_interface" else "link_a"
            if (
                iface_id
                and Link.objects.filter(**{f"{other[-1]}_interface_id": iface_id})
                .exclude(pk=self.pk)
                .exists()
            ):
                errors[side] = "This interface already terminates another link."
        if self.role == LinkRole.BACKBONE and self.establishment_id:
            errors["establishment"] = "A backbone link belongs to no establishment."
        if self.role != LinkRole.BACKBONE and not self.establishment_id:
            errors["establishment"] = "An access link belongs to an establishment."
        if self.service_start and self.service_end and self.service_end <= self.service_start:
            errors["service_end"] = "Service cannot end before it starts."
        if (
            self.service_class is not None
            and self.contract_id
            and self.service_class.contract_id != self.contract_id
        ):
            errors["service_class"] = "The service class belongs to another contract."
        if self.contract is not None and self.contract.operator_id != self.operator_id:
            errors["contract"] = "The contract is held by another operator."
        if errors:
            raise ValidationError(errors)
