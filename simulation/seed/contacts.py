"""Contacts: the operators' NOCs, a technical contact at most sites, an administrative one at the
critical and important ones. Fictional people, `.example` mail domains, fiction phone numbers."""

from __future__ import annotations

import random

from inventory.choices import ContactRole, Criticality
from simulation.seed import naming
from simulation.seed.establishments import Site
from simulation.seed.plan import ContactSpec, OperatorSpec

TECHNICAL_SHARE = 0.6


def generate_contacts(
    rng: random.Random, sites: list[Site], operators: list[OperatorSpec]
) -> list[ContactSpec]:
    contacts = [
        ContactSpec(
            name=f"NOC {op.name}",
            role=ContactRole.NOC,
            email=op.noc_email,
            phone=op.noc_phone,
            operator=op.name,
        )
        for op in operators
    ]
    for site in sorted(sites, key=lambda s: s.spec.code):
        spec = site.spec
        domain = f"{naming.slugify(spec.tenant or spec.name)[:40]}.example"
        important = spec.criticality in (Criticality.CRITICAL, Criticality.HIGH)
        roles = []
        if important or rng.random() < TECHNICAL_SHARE:
            roles.append(ContactRole.TECHNICAL)
        if important:
            roles.append(ContactRole.ADMINISTRATIVE)
        names: set[str] = set()
        for role in roles:
            name, local = naming.person(rng)
            while name in names:
                name, local = naming.person(rng)
            names.add(name)
            contacts.append(
                ContactSpec(
                    name=name,
                    role=role,
                    email=f"{local}@{domain}",
                    phone=naming.phone(rng),
                    establishment=spec.code,
                )
            )
    return contacts
