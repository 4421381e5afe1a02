"""The connected establishments (sites), their owning organisations and their contacts."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.fields import validate_latitude, validate_longitude
from common.models import ChangeLoggedModel, PrimaryModel
from inventory.choices import ContactRole, Criticality, EstablishmentCategory, Status


class Tenant(PrimaryModel):
    """The organisation a group of sites belongs to (a university, a department council…)."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Establishment(PrimaryModel):
    """A connected public establishment. `code` is its natural key: names repeat."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    category = models.CharField(_("category"), max_length=30, choices=EstablishmentCategory.choices)
    commune = models.ForeignKey(
        "inventory.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="establishments",
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
    criticality = models.CharField(
        _("criticality"), max_length=10, choices=Criticality.choices, default=Criticality.NORMAL
    )
    tenant = models.ForeignKey(
        Tenant,
        verbose_name=_("tenant"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="establishments",
    )

    class Meta:
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")
        ordering = ["code"]
        indexes = [models.Index(fields=["category"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.name} [{self.code}]"

    def get_absolute_url(self) -> str:
        return reverse("inventory:establishment", args=[self.pk])

    def clean(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError("Give both latitude and longitude, or neither.")


class Contact(ChangeLoggedModel):
    """A person to call about a site or an operator."""

    establishment = models.ForeignKey(
        Establishment,
        verbose_name=_("establishment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
    )
    operator = models.ForeignKey(
        "inventory.Operator",
        verbose_name=_("operator"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(
        _("role"), max_length=20, choices=ContactRole.choices, default=ContactRole.TECHNICAL
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(establishment__isnull=False) | models.Q(operator__isnull=False),
                name="contact_has_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"
