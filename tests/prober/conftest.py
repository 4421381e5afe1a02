"""The prober's tests run against the lab's real reflectors (see tests/poller/lab/conftest.py)."""

from tests.poller.lab.conftest import lab, running_lab, small

__all__ = ["lab", "running_lab", "small"]
