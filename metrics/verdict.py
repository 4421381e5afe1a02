"""The monitoring verdict of a link in one poll: UP, DOWN or UNKNOWN (docs/sla.md, "Monitoring
slot"). One rule, used by live alerting (`alerting.live.DownSet`) and by the SLA's collection of
monitoring runs (`sla.collect`, whose SQL is generated from `VERDICTS` below), so that a link is
down for the SLA exactly when it is down for alerting.

A link is judged at its access end: the device (the CPE) and its uplink interface.
- no poll of the device in the slot: UNKNOWN (no data);
- the device did not answer SNMP but answered active probes (the prober's latest slot, this one
  or the one before): UNKNOWN, a *monitoring fault* (the device is up, its agent is sick);
- the device did not answer, and its probes were all lost or there were none: DOWN;
- the interface is administratively down: UNKNOWN (the syndicate shut it: its own act, not the
  operator's fault; ticket evidence does not fill it either);
- ifOperStatus down(2), notPresent(6), lowerLayerDown(7): DOWN;
- otherwise UP: up(1), and also testing(3), unknown(4), dormant(5) or no interface sample at
  all, because the CPE answered the poll, and the poll reaches the CPE through that very link:
  its answer is the evidence that the link carries traffic. Only the agent saying "down" is.
"""

from __future__ import annotations

import enum
from itertools import product

from metrics.types import OperStatus


class LinkState(enum.Enum):
    UP = "up"
    DOWN = "down"
    UNKNOWN = "unknown"


#: ifOperStatus (IF-MIB) as the poller stores it: the values that say up, and those that say down.
IF_OPER_STATUS: dict[int, OperStatus] = {
    1: OperStatus.UP,
    2: OperStatus.DOWN,
    6: OperStatus.DOWN,
    7: OperStatus.DOWN,
}


def oper_status(if_oper_status: int | None) -> OperStatus:
    """An IF-MIB ifOperStatus value as stored (testing, unknown, dormant, absent: UNKNOWN)."""
    return IF_OPER_STATUS.get(if_oper_status or 0, OperStatus.UNKNOWN)


def interface_verdict(admin_up: bool | None, oper: OperStatus | None) -> LinkState:
    """The verdict of an interface of a device that answered the poll."""
    if admin_up is False:
        return LinkState.UNKNOWN
    if oper is OperStatus.DOWN:
        return LinkState.DOWN
    return LinkState.UP


def link_verdict(
    reachable: bool | None,
    admin_up: bool | None,
    oper: OperStatus | None,
    probed: bool | None = None,
) -> LinkState:
    """A link's verdict from its access device's poll (`reachable` None: not polled) and the
    device's latest probe slot (`probed`: True some probe answered, False all were lost, None
    no probe data: the prober is not running, and the verdict is SNMP's alone)."""
    if reachable is None:
        return LinkState.UNKNOWN
    if not reachable:
        return LinkState.UNKNOWN if probed else LinkState.DOWN
    return interface_verdict(admin_up, oper)


Combination = tuple[bool | None, bool | None, OperStatus | None, bool | None]

#: Every stored combination and its verdict: what the SLA's SQL is generated from.
VERDICTS: dict[Combination, LinkState] = {
    (r, a, o, p): link_verdict(r, a, o, p)
    for r, a, o, p in product(
        (True, False, None), (True, False, None), (*OperStatus, None), (True, False, None)
    )
}
