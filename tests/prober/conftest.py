"""The prober's tests run against the lab's real reflectors (tests/simulation/lab/conftest.py)
and, for ICMP, against a userspace responder in a network namespace (netns_icmp.py)."""

import itertools
from collections.abc import Iterator

import pytest

from tests.poller.netns import VethPair, unique_tag
from tests.poller.snmpd import worker_index
from tests.prober.netns_icmp import IcmpNamespace
from tests.simulation.lab.conftest import lab, running_lab, small

__all__ = ["icmp_namespace", "lab", "running_lab", "small"]

_namespaces = itertools.count()


@pytest.fixture(scope="module")
def icmp_namespace() -> Iterator[IcmpNamespace]:
    """A namespace whose kernel answers no echo; its test starts the responder it needs."""
    n = next(_namespaces)
    pair = VethPair(unique_tag(9000 + n), subnet_index=200 + worker_index() * 4 + n % 4)
    namespace = IcmpNamespace(pair).create()
    yield namespace
    namespace.remove()
