"""walk_table: rows with multi-part indexes (LLDP-MIB's lldpRemTable) from a real lab agent."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest

from poller.collectors.walk import walk_columns, walk_table
from poller.snmp.client import SnmpClient
from poller.snmp.errors import MalformedReply
from poller.snmp.session import Session
from poller.types import Credentials, Target
from tests.simulation.lab.conftest import RunningLab, lab, running_lab, small  # noqa: F401
from tests.simulation.lab.small_network import COMMUNITY

pytestmark = pytest.mark.django_db  # the lab is built from a small network in the database
T = TypeVar("T")
REM_SYS_NAME = (1, 0, 8802, 1, 1, 2, 1, 4, 1, 1, 9)
REM_PORT_ID = (1, 0, 8802, 1, 1, 2, 1, 4, 1, 1, 7)
LOC_SYS_NAME = (1, 0, 8802, 1, 1, 2, 1, 3, 3)


def _with_session(lab: RunningLab, device: str, job: Callable[[Session], Awaitable[T]]) -> T:  # noqa: F811
    spec = lab.device(device)
    target = Target(1, device, spec.address, Credentials(community=COMMUNITY), port=spec.port)

    async def go() -> T:
        async with SnmpClient() as client:
            return await job(await client.session(target))

    return asyncio.run(go())


def test_rows_are_keyed_by_their_whole_index_across_several_requests(lab: RunningLab) -> None:  # noqa: F811
    router = lab.device("pop-rennes-1")
    linked = sorted(i.if_index for i in router.interfaces if i.neighbour)
    walked: Any = _with_session(
        lab,
        "pop-rennes-1",
        lambda s: walk_table(s, [REM_SYS_NAME, REM_PORT_ID], 1, [LOC_SYS_NAME], index_length=3),
    )
    assert walked.requests > len(linked)  # one row per request: the walk went on
    assert list(walked.rows()) == [(0, i, 1) for i in linked]
    assert walked.scalars[0][2] == b"pop-rennes-1"
    names = {walked.columns[REM_SYS_NAME][(0, i, 1)].value for i in linked}
    assert b"pop-brest-1" in names


def test_an_index_of_another_length_than_announced_is_malformed(lab: RunningLab) -> None:  # noqa: F811
    with pytest.raises(MalformedReply, match="not 2 sub-ids long"):
        _with_session(
            lab, "pop-rennes-1", lambda s: walk_table(s, [REM_SYS_NAME], 8, index_length=2)
        )


def test_walk_columns_still_stops_at_the_first_multi_part_row(lab: RunningLab) -> None:  # noqa: F811
    walked: Any = _with_session(
        lab, "pop-rennes-1", lambda s: walk_columns(s, [], [REM_SYS_NAME], 8)
    )
    assert walked.columns[REM_SYS_NAME] == {}
