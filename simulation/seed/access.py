"""Access design: which offer each site buys and on which PoP each of its links ends.

Primary links go to the nearest PoP. Dual-homed sites get a second fibre to the next PoP, or a 4G
backup handed off at the nearest other backbone PoP. A handful of fibre backups deliberately end on
the primary's PoP or share its duct: findings the topology analysis must report.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from inventory.choices import PopKind
from simulation.seed.catalogue import LTE_BACKUP, Offer, diverse_fibre
from simulation.seed.establishments import Site
from simulation.seed.offers import offer_for
from simulation.seed.plan import PopSpec
from simulation.seed.pops import nearest

SAME_POP_FINDINGS = 3
SAME_DUCT_FINDINGS = 3


@dataclass(frozen=True)
class AccessDesign:
    site: Site
    primary: Offer
    primary_pop: PopSpec
    backup: Offer | None = None
    backup_pop: PopSpec | None = None
    finding: str = ""  # "same_pop" or "same_duct"

    @property
    def code(self) -> str:
        return self.site.spec.code


def design_access(rng: random.Random, sites: list[Site], pops: list[PopSpec]) -> list[AccessDesign]:
    ordered = sorted(sites, key=lambda s: s.spec.code)
    fibre_backed = [s.spec.code for s in ordered if s.backup == "fibre"]
    flagged = rng.sample(fibre_backed, SAME_POP_FINDINGS + SAME_DUCT_FINDINGS)
    findings = dict.fromkeys(flagged[:SAME_POP_FINDINGS], "same_pop") | dict.fromkeys(
        flagged[SAME_POP_FINDINGS:], "same_duct"
    )
    backbone = [p for p in pops if p.kind == PopKind.BACKBONE]
    designs = []
    for site in ordered:
        offer = offer_for(site, rng)
        by_distance = nearest(pops, site.spec.latitude, site.spec.longitude)
        primary_pop = by_distance[0]
        if site.backup == "fibre":
            finding = findings.get(site.spec.code, "")
            backup_pop = primary_pop if finding == "same_pop" else by_distance[1]
            designs.append(
                AccessDesign(site, offer, primary_pop, diverse_fibre(offer), backup_pop, finding)
            )
        elif site.backup == "lte":
            handoff = next(
                p
                for p in nearest(backbone, site.spec.latitude, site.spec.longitude)
                if p.name != primary_pop.name
            )
            designs.append(AccessDesign(site, offer, primary_pop, LTE_BACKUP, handoff))
        else:
            designs.append(AccessDesign(site, offer, primary_pop))
    return designs
