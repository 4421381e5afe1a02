"""The prober's tests run against the lab's real reflectors (tests/simulation/lab/conftest.py)."""

from tests.simulation.lab.conftest import lab, running_lab, small

__all__ = ["lab", "running_lab", "small"]
