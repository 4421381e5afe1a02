"""Abstract base models: every inventory object is change-logged, commented and taggable."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

SECRET_MASK = "********"


class ChangeLoggedModel(models.Model):
    """A model whose every create, update and delete is written to the change log."""

    created = models.DateTimeField(_("created"), auto_now_add=True, null=True, editable=False)
    last_updated = models.DateTimeField(_("last updated"), auto_now=True, null=True, editable=False)

    # Fields that hold secrets: masked in snapshots (change log), API output and exports.
    secret_fields: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def snapshot(self) -> dict[str, Any]:
        """The object's field values as JSON-ready data, secrets masked, for the change log."""
        data: dict[str, Any] = {}
        for f in self._meta.concrete_fields:
            if f.name in ("created", "last_updated"):
                continue
            value = getattr(self, f.attname)
            if f.name in self.secret_fields:
                value = SECRET_MASK if value else ""
            elif value is not None and not isinstance(value, bool | int | float | str):
                value = str(value)
            data[f.name] = value
        if self.pk and hasattr(self, "tags"):
            data["tags"] = sorted(t.name for t in self.tags.all())
        return data


class PrimaryModel(ChangeLoggedModel):
    """An object people describe and annotate: description, free comments and tags."""

    description = models.CharField(_("description"), max_length=200, blank=True)
    comments = models.TextField(_("comments"), blank=True)
    tags = models.ManyToManyField(
        "core.Tag", verbose_name=_("tags"), blank=True, related_name="%(app_label)s_%(class)s_set"
    )

    class Meta:
        abstract = True
