"""Detail pages of the inventory: one object, its parts and its change history; the one route
of each page, which other apps extend with panels (common.panels) without importing them.

Each page loads with a fixed number of queries whatever the number of parts (select_related
and prefetch_related); tests/inventory/test_views.py holds them to it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Case, Count, Prefetch, QuerySet, Sum, Value, When
from django.views.generic import DetailView

from common.panels import PanelsMixin
from common.views import ScopedViewMixin
from inventory import models as m
from inventory.choices import LinkRole, LinkTechnology
from inventory.views.history import history, objects, owned_by

POP_LINKS_SHOWN = 100
# A site's primary link first, then its backups.
PRIMARY_FIRST = Case(When(role=LinkRole.PRIMARY, then=Value(0)), default=Value(1))


def _links() -> QuerySet[m.Link]:
    return m.Link.objects.select_related(
        "operator", "contract", "service_class", "establishment", "z_interface__device__pop"
    )


class EstablishmentView(PanelsMixin, ScopedViewMixin, DetailView[m.Establishment]):
    template_name = "inventory/establishment.html"
    context_object_name = "establishment"

    def get_queryset(self) -> QuerySet[m.Establishment]:
        # The parts are scoped too: an operator sees its own links and their ends only.
        return m.Establishment.objects.select_related(
            "commune__department", "tenant"
        ).prefetch_related(
            "tags",
            Prefetch("contacts", queryset=self.scoped(m.Contact.objects.all())),
            Prefetch("links", queryset=self.scoped(_links().order_by(PRIMARY_FIRST, "circuit_id"))),
            Prefetch(
                "devices",
                queryset=self.scoped(m.Device.objects.all()).prefetch_related(
                    Prefetch(
                        "interfaces",
                        queryset=self.scoped(m.Interface.objects.order_by("if_index", "name")),
                    )
                ),
            ),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        site = self.object
        links = list(site.links.all())
        devices = list(site.devices.all())
        interface_ids = [i.pk for d in devices for i in d.interfaces.all()]
        context.update(
            links=links,
            devices=devices,
            history=self.visible_history(
                history(
                    objects(m.Establishment, [site.pk])
                    | objects(m.Link, [link.pk for link in links])
                    | owned_by(m.Link, "establishment", site.pk)
                    | objects(m.Device, [d.pk for d in devices])
                    | owned_by(m.Device, "establishment", site.pk)
                    | objects(m.Interface, interface_ids)
                    | owned_by(m.Contact, "establishment", site.pk)
                )
            ),
        )
        return context


class DeviceView(PanelsMixin, ScopedViewMixin, DetailView[m.Device]):
    template_name = "inventory/device.html"
    context_object_name = "device"

    def get_queryset(self) -> QuerySet[m.Device]:
        return m.Device.objects.select_related(
            "establishment", "pop", "snmp_profile"
        ).prefetch_related(
            "tags",
            Prefetch(
                "interfaces",
                queryset=self.scoped(
                    m.Interface.objects.select_related(
                        "link_a__operator", "link_z__operator"
                    ).order_by("if_index", "name")
                ),
            ),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        device = self.object
        interfaces = list(device.interfaces.all())
        context.update(
            interfaces=interfaces,
            history=self.visible_history(
                history(
                    objects(m.Device, [device.pk])
                    | objects(m.Interface, [i.pk for i in interfaces])
                    | owned_by(m.Interface, "device", device.pk)
                )
            ),
        )
        return context


class LinkView(PanelsMixin, ScopedViewMixin, DetailView[m.Link]):
    template_name = "inventory/link.html"
    context_object_name = "link"

    def get_queryset(self) -> QuerySet[m.Link]:
        return m.Link.objects.select_related(
            "operator",
            "establishment__commune",
            "contract",
            "service_class",
            "a_interface__device",
            "z_interface__device__pop",
        ).prefetch_related("tags")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["history"] = history(objects(m.Link, [self.object.pk]))
        return context


class PopView(PanelsMixin, ScopedViewMixin, DetailView[m.Pop]):
    template_name = "inventory/pop.html"
    context_object_name = "pop"

    def get_queryset(self) -> QuerySet[m.Pop]:
        return m.Pop.objects.select_related("commune__department", "parent").prefetch_related(
            "tags", "devices", "children"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        pop = self.object
        ending_here = (
            _links().filter(z_interface__device__pop=pop).order_by("operator", "circuit_id")
        )
        context.update(
            devices=list(pop.devices.all()),
            children=list(pop.children.all()),
            links=list(ending_here[:POP_LINKS_SHOWN]),
            link_count=ending_here.count(),
            links_shown=POP_LINKS_SHOWN,
            history=self.visible_history(
                history(
                    objects(m.Pop, [pop.pk])
                    | objects(m.Device, [d.pk for d in pop.devices.all()])
                    | owned_by(m.Device, "pop", pop.pk)
                )
            ),
        )
        return context


def _by_technology(links: QuerySet[m.Link]) -> list[tuple[str, int]]:
    labels = dict(LinkTechnology.choices)
    rows = links.order_by().values_list("technology").annotate(n=Count("id"))
    return sorted(((labels.get(t, t), n) for t, n in rows), key=lambda r: (-r[1], r[0]))


class OperatorView(PanelsMixin, ScopedViewMixin, DetailView[m.Operator]):
    template_name = "inventory/operator.html"
    context_object_name = "operator"

    def get_queryset(self) -> QuerySet[m.Operator]:
        return m.Operator.objects.prefetch_related(
            "tags",
            "contacts",
            Prefetch(
                "contracts",
                queryset=m.Contract.objects.annotate(link_count=Count("links")).order_by(
                    "reference"
                ),
            ),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        operator = self.object
        contracts = list(operator.contracts.all())
        by_tech = _by_technology(operator.links.all())
        context.update(
            contracts=contracts,
            contacts=list(operator.contacts.all()),
            links_by_technology=by_tech,
            link_count=sum(n for _, n in by_tech),
            history=self.visible_history(
                history(
                    objects(m.Operator, [operator.pk])
                    | objects(m.Contract, [c.pk for c in contracts])
                    | owned_by(m.Contact, "operator", operator.pk)
                )
            ),
        )
        return context


class ContractView(PanelsMixin, ScopedViewMixin, DetailView[m.Contract]):
    template_name = "inventory/contract.html"
    context_object_name = "contract"

    def get_queryset(self) -> QuerySet[m.Contract]:
        return m.Contract.objects.select_related("operator").prefetch_related(
            "tags",
            Prefetch(
                "service_classes",
                queryset=m.ServiceClass.objects.annotate(link_count=Count("links")).order_by(
                    "name", "effective_from"
                ),
            ),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        contract = self.object
        classes = list(contract.service_classes.all())
        totals = contract.links.aggregate(n=Count("id"), fees=Sum("monthly_fee_ht"))
        context.update(
            service_classes=classes,
            default_saturation_pct=settings.MENHIR_SATURATION_PCT,
            link_count=totals["n"],
            monthly_fees_ht=totals["fees"],
            links_by_technology=_by_technology(contract.links.all()),
            history=self.visible_history(
                history(
                    objects(m.Contract, [contract.pk])
                    | objects(m.ServiceClass, [s.pk for s in classes])
                    | owned_by(m.ServiceClass, "contract", contract.pk)
                )
            ),
        )
        return context
