"""What a seeding run did, in one sentence for the command line."""

from __future__ import annotations

from dataclasses import dataclass

from simulation.seed.plan import Findings

SHOWN = (
    ("establishments", "establishments"),
    ("pops", "PoPs"),
    ("devices", "devices"),
    ("interfaces", "interfaces"),
    ("links", "links"),
    ("contracts", "contracts"),
    ("contacts", "contacts"),
)


@dataclass(frozen=True)
class SeedSummary:
    seed: int
    planned: dict[str, int]
    created: dict[str, int]
    seconds: float
    findings: Findings

    @property
    def changed(self) -> bool:
        return any(self.created.values())

    def describe(self) -> str:
        network = ", ".join(f"{self.planned[k]:,} {label}" for k, label in SHOWN)
        if not self.changed:
            return f"Reference network (seed {self.seed}) already loaded, nothing to do: {network}."
        created = ", ".join(f"{self.created[k]:,} {label}" for k, label in SHOWN)
        f = self.findings
        return (
            f"Reference network (seed {self.seed}) loaded in {self.seconds:.1f} s: {network} "
            f"(created now: {created}); {len(f.dual_homed)} dual-homed sites, of which "
            f"{len(f.backup_same_pop)} with the backup on the primary's PoP and "
            f"{len(f.backup_same_duct)} in the primary's duct."
        )
