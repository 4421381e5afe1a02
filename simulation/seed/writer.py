"""Write a NetworkPlan to the database: only what is missing, in one transaction, bulk inserts.

Objects are matched on their natural keys (an establishment's code, a device's name, an
interface's device and name…). Existing objects are left as they are: the seed never updates.
One change-log entry (action "bulk", source "seed") records the run, and only when it created
something.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from django.db import IntegrityError, models, transaction

from common.changes import change_context, current_context
from core.models import ObjectChange, ObjectChangeAction
from inventory import models as m
from simulation.seed.plan import PLAN_SECTIONS, NetworkPlan, PopSpec

BATCH_SIZE = 2000
Advance = Callable[[str, int], None]


class SeedConflict(RuntimeError):
    """The database holds data the reference network cannot be merged with; nothing was written."""


def write_plan(plan: NetworkPlan, advance: Advance | None = None) -> dict[str, int]:
    """Create what the database lacks; returns how many objects of each section were created."""
    step = advance or (lambda section, n: None)
    try:
        with transaction.atomic(), change_context(source="seed", log_each_object=False):
            _refuse_other_seed(plan.seed)
            created = _Writer(plan, step).run()
            if any(created.values()):
                _log_run(plan.seed, created)
                _analyze()
    except IntegrityError as exc:
        raise SeedConflict(
            "the database holds objects that clash with the reference network "
            f"(nothing was written): {exc}"
        ) from None
    return created


def _analyze() -> None:
    """Fresh statistics after a bulk load: without them the planner guesses empty tables and
    joins across 20,000 interfaces go from milliseconds to minutes until autovacuum runs."""
    from django.apps import apps
    from django.db import connection

    with connection.cursor() as cursor:
        for model in apps.get_app_config("inventory").get_models():
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')


def _refuse_other_seed(seed: int) -> None:
    last = (
        ObjectChange.objects.filter(source="seed", action=ObjectChangeAction.BULK)
        .order_by("-time", "-pk")
        .first()
    )
    previous = (last.postchange_data or {}).get("seed") if last else None
    if previous is not None and previous != seed:
        raise SeedConflict(
            f"the database already holds the reference network of seed {previous}; "
            f"seed {seed} would be a second network beside it (nothing was written)"
        )


def _log_run(seed: int, created: dict[str, int]) -> None:
    ctx = current_context()
    counts = ", ".join(f"{n:,} {section.replace('_', ' ')}" for section, n in created.items() if n)
    ObjectChange.objects.create(
        user=None,
        user_name="seed",
        request_id=ctx.request_id,
        source="seed",
        action=ObjectChangeAction.BULK,
        object_repr=f"Reference network (seed {seed})",
        postchange_data={"seed": seed, "created": created},
        message=f"Reference network, seed {seed}: created {counts}.",
    )


class _Writer:
    def __init__(self, plan: NetworkPlan, advance: Advance) -> None:
        self.plan = plan
        self.advance = advance
        self.pk: dict[str, dict[Hashable, int]] = {}

    def run(self) -> dict[str, int]:
        return {section: getattr(self, f"_{section}")() for section in PLAN_SECTIONS}

    def _sync(
        self,
        section: str,
        model: Any,
        existing: Iterable[tuple[Hashable, int]],
        specs: list[Any],
        key: Callable[[Any], Hashable],
        build: Callable[[Any], models.Model],
    ) -> int:
        """Insert the specs whose key is missing; remember every key's primary key."""
        known = dict(existing)
        missing = [spec for spec in specs if key(spec) not in known]
        self.advance(section, len(specs) - len(missing))
        for start in range(0, len(missing), BATCH_SIZE):
            batch = missing[start : start + BATCH_SIZE]
            objs = model.objects.bulk_create([build(spec) for spec in batch])
            for spec, obj in zip(batch, objs, strict=True):
                known[key(spec)] = obj.pk
            self.advance(section, len(batch))
        self.pk[section] = known
        return len(missing)

    def _departments(self) -> int:
        return self._sync(
            "departments",
            m.Department,
            m.Department.objects.values_list("code", "pk"),
            self.plan.departments,
            lambda s: s.code,
            lambda s: m.Department(code=s.code, name=s.name),
        )

    def _communes(self) -> int:
        dep = self.pk["departments"]
        return self._sync(
            "communes",
            m.Commune,
            m.Commune.objects.values_list("insee", "pk"),
            self.plan.communes,
            lambda s: s.insee,
            lambda s: m.Commune(
                insee=s.insee,
                name=s.name,
                department_id=dep[s.department],
                latitude=s.latitude,
                longitude=s.longitude,
                population=s.population,
            ),
        )

    def _tenants(self) -> int:
        return self._sync(
            "tenants",
            m.Tenant,
            m.Tenant.objects.values_list("name", "pk"),
            self.plan.tenants,
            lambda s: s.name,
            lambda s: m.Tenant(name=s.name, slug=s.slug, description=s.description),
        )

    def _establishments(self) -> int:
        communes, tenants = self.pk["communes"], self.pk["tenants"]
        return self._sync(
            "establishments",
            m.Establishment,
            m.Establishment.objects.values_list("code", "pk"),
            self.plan.establishments,
            lambda s: s.code,
            lambda s: m.Establishment(
                code=s.code,
                name=s.name,
                category=s.category,
                commune_id=communes[s.commune],
                address=s.address,
                latitude=s.latitude,
                longitude=s.longitude,
                status=s.status,
                criticality=s.criticality,
                description=s.description,
                tenant_id=tenants[s.tenant] if s.tenant else None,
            ),
        )

    def _operators(self) -> int:
        return self._sync(
            "operators",
            m.Operator,
            m.Operator.objects.values_list("name", "pk"),
            self.plan.operators,
            lambda s: s.name,
            lambda s: m.Operator(
                name=s.name,
                slug=s.slug,
                noc_email=s.noc_email,
                noc_phone=s.noc_phone,
                portal_url=s.portal_url,
                description=s.description,
            ),
        )

    def _contracts(self) -> int:
        operators = self.pk["operators"]
        return self._sync(
            "contracts",
            m.Contract,
            m.Contract.objects.values_list("reference", "pk"),
            self.plan.contracts,
            lambda s: s.reference,
            lambda s: m.Contract(
                reference=s.reference,
                operator_id=operators[s.operator],
                title=s.title,
                lot=s.lot,
                start_date=s.start_date,
                end_date=s.end_date,
                amount_total_ht=s.amount_total_ht,
                penalty_cap_contract_pct=s.penalty_cap_contract_pct,
                exemption_threshold_ht=s.exemption_threshold_ht,
            ),
        )

    def _service_classes(self) -> int:
        contracts = self.pk["contracts"]
        existing = (
            ((ref, slug, start), pk)
            for ref, slug, start, pk in m.ServiceClass.objects.values_list(
                "contract__reference", "slug", "effective_from", "pk"
            )
        )
        fields = [
            "name",
            "slug",
            "effective_from",
            "availability_schedule",
            "availability_target_pct",
            "availability_tiers",
            "gtr_minutes",
            "gtr_clock",
            "gtr_penalty_pct_per_started_hour",
            "gti_minutes",
            "gti_clock",
            "gti_penalty_pct",
            "monthly_cap_pct",
            "description",
        ]
        created = self._sync(
            "service_classes",
            m.ServiceClass,
            existing,
            self.plan.service_classes,
            lambda s: (s.contract, s.slug, s.effective_from),
            lambda s: m.ServiceClass(
                contract_id=contracts[s.contract], **{f: getattr(s, f) for f in fields}
            ),
        )
        # Links name their class by (contract, slug): the version in force when the plan starts.
        by_slug: dict[Hashable, int] = {}
        for key, pk in sorted(self.pk["service_classes"].items(), key=str):
            assert isinstance(key, tuple)
            by_slug.setdefault(key[:2], pk)
        self.pk["service_class_slugs"] = by_slug
        return created

    def _contacts(self) -> int:
        est, ops = self.pk["establishments"], self.pk["operators"]
        est_code = {pk: code for code, pk in est.items()}
        op_name = {pk: name for name, pk in ops.items()}
        existing = (
            ((est_code.get(e), op_name.get(o), name, role), pk)
            for e, o, name, role, pk in m.Contact.objects.values_list(
                "establishment_id", "operator_id", "name", "role", "pk"
            )
        )
        return self._sync(
            "contacts",
            m.Contact,
            existing,
            self.plan.contacts,
            lambda s: (s.establishment, s.operator, s.name, s.role),
            lambda s: m.Contact(
                name=s.name,
                role=s.role,
                email=s.email,
                phone=s.phone,
                establishment_id=est[s.establishment] if s.establishment else None,
                operator_id=ops[s.operator] if s.operator else None,
            ),
        )

    def _pops(self) -> int:
        known: dict[Hashable, int] = dict(m.Pop.objects.values_list("name", "pk"))
        created = 0
        # Parents first: a secondary PoP refers to its backbone PoP.
        for tier in (
            [s for s in self.plan.pops if s.parent is None],
            [s for s in self.plan.pops if s.parent is not None],
        ):
            build = functools.partial(self._pop, parents=dict(known))
            created += self._sync("pops", m.Pop, known.items(), tier, lambda s: s.name, build)
            known = self.pk["pops"]
        return created

    def _pop(self, s: PopSpec, parents: dict[Hashable, int]) -> m.Pop:
        return m.Pop(
            name=s.name,
            slug=s.slug,
            kind=s.kind,
            commune_id=self.pk["communes"][s.commune],
            parent_id=parents[s.parent] if s.parent else None,
            address=s.address,
            latitude=s.latitude,
            longitude=s.longitude,
        )

    def _snmp_profiles(self) -> int:
        return self._sync(
            "snmp_profiles",
            m.SNMPProfile,
            m.SNMPProfile.objects.values_list("name", "pk"),
            self.plan.snmp_profiles,
            lambda s: s.name,
            lambda s: m.SNMPProfile(
                name=s.name,
                version=s.version,
                community=s.community,
                username=s.username,
                auth_protocol=s.auth_protocol,
                auth_key=s.auth_key,
                priv_protocol=s.priv_protocol,
                priv_key=s.priv_key,
            ),
        )

    def _devices(self) -> int:
        est, pops, snmp = self.pk["establishments"], self.pk["pops"], self.pk["snmp_profiles"]
        return self._sync(
            "devices",
            m.Device,
            m.Device.objects.values_list("name", "pk"),
            self.plan.devices,
            lambda s: s.name,
            lambda s: m.Device(
                name=s.name,
                role=s.role,
                platform=s.platform,
                vendor=s.vendor,
                model=s.model,
                serial=s.serial,
                management_address=s.management_address,
                snmp_profile_id=snmp[s.snmp_profile],
                status=s.status,
                establishment_id=est[s.establishment] if s.establishment else None,
                pop_id=pops[s.pop] if s.pop else None,
            ),
        )

    def _interfaces(self) -> int:
        devices = self.pk["devices"]
        existing = (
            ((dev, name), pk)
            for dev, name, pk in m.Interface.objects.values_list("device__name", "name", "pk")
        )
        return self._sync(
            "interfaces",
            m.Interface,
            existing,
            self.plan.interfaces,
            lambda s: (s.device, s.name),
            lambda s: m.Interface(
                device_id=devices[s.device],
                name=s.name,
                if_index=s.if_index,
                type=s.type,
                speed_bps=s.speed_bps,
                role=s.role,
                enabled=s.enabled,
                description=s.description,
            ),
        )

    def _links(self) -> int:
        ops, est, ifaces = self.pk["operators"], self.pk["establishments"], self.pk["interfaces"]
        contracts, classes = self.pk["contracts"], self.pk["service_class_slugs"]
        existing = (
            ((op, circuit), pk)
            for op, circuit, pk in m.Link.objects.values_list("operator__name", "circuit_id", "pk")
        )
        return self._sync(
            "links",
            m.Link,
            existing,
            self.plan.links,
            lambda s: (s.operator, s.circuit_id),
            lambda s: m.Link(
                operator_id=ops[s.operator],
                circuit_id=s.circuit_id,
                technology=s.technology,
                role=s.role,
                status=s.status,
                establishment_id=est[s.establishment] if s.establishment else None,
                a_interface_id=ifaces[s.a_end],
                z_interface_id=ifaces[s.z_end],
                committed_down_bps=s.committed_down_bps,
                committed_up_bps=s.committed_up_bps,
                port_speed_bps=s.port_speed_bps,
                contract_id=contracts[s.contract],
                service_class_id=classes[(s.contract, s.service_class)],
                monthly_fee_ht=s.monthly_fee_ht,
                service_start=s.service_start,
                duct=s.duct,
                description=s.description,
            ),
        )
