"""The lab's only ORM touchpoint: the inventory's rows → plain frozen `model` values.

Devices with a loopback management address get an agent (others are real devices: never
simulated, never answered for). A few queries whatever the size (no N+1).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import replace
from typing import Any

from inventory.choices import LinkRole, Status
from inventory.models import Device, Interface, Link, Pop
from simulation.lab.model import (
    LabDevice,
    LabInterface,
    LabLink,
    LabNetwork,
    LabPop,
    Neighbour,
    SnmpCredentials,
    Traffic,
)
from simulation.lab.reflector import DEFAULT_RTT_MS, base_rtt_ms, distance_km

IF_TYPES = {
    "virtual": 53,  # propVirtual
    "100base-tx": 6,  # ethernetCsmacd
    "1000base-t": 6,
    "1000base-x-sfp": 6,
    "10gbase-x-sfpp": 6,
    "xdsl": 94,  # adsl
    "lte": 243,  # wwanPP
}
DEFAULT_SPEEDS = {
    "virtual": 1_000_000_000,
    "100base-tx": 100_000_000,
    "1000base-t": 1_000_000_000,
    "1000base-x-sfp": 1_000_000_000,
    "10gbase-x-sfpp": 10_000_000_000,
    "xdsl": 20_000_000,
    "lte": 100_000_000,
}
VENDOR_OIDS = {
    "cisco": (1, 3, 6, 1, 4, 1, 9, 1, 2593),
    "juniper": (1, 3, 6, 1, 4, 1, 2636, 1, 1, 1, 2, 25),
    "huawei": (1, 3, 6, 1, 4, 1, 2011, 2, 224, 67),
    "arista": (1, 3, 6, 1, 4, 1, 30065, 1, 3011, 7048),
}
NET_SNMP_OID = (1, 3, 6, 1, 4, 1, 8072, 3, 2, 10)
UNINDEXED_BASE = 1_000  # ifIndex given to interfaces the inventory has none for
# A device's reflector takes the RTT of its primary link, else its backup's, else a backbone's.
ROLE_RANK = {LinkRole.PRIMARY: 0, LinkRole.BACKUP: 1, LinkRole.BACKBONE: 2}


def chassis_mac(name: str) -> bytes:
    """A stable, locally administered MAC address for a device's LLDP chassis id."""
    return b"\x02" + hashlib.blake2s(name.encode(), digest_size=5).digest()


def sys_descr(vendor: str, model: str) -> str:
    maker = " ".join(part for part in (vendor, model) if part) or "Router"
    return f"{maker} (Menhir lab simulated agent)"


def sys_object_id(vendor: str) -> tuple[int, ...]:
    return VENDOR_OIDS.get(vendor.strip().lower(), NET_SNMP_OID)


def _credentials(profile: Any) -> tuple[SnmpCredentials, int]:
    if profile is None:
        return SnmpCredentials("v2c", community="public"), 161
    return (
        SnmpCredentials(
            version=profile.version,
            community=profile.community or "",
            username=profile.username,
            auth_protocol=profile.auth_protocol,
            auth_key=profile.auth_key or "",
            priv_protocol=profile.priv_protocol,
            priv_key=profile.priv_key or "",
        ),
        profile.port,
    )


def load_network() -> LabNetwork:
    devices = [
        d
        for d in Device.objects.exclude(status=Status.DECOMMISSIONED)
        .exclude(management_address=None)
        .select_related("snmp_profile", "establishment", "pop")
        .order_by("name")
        if str(d.management_address).startswith("127.")
    ]
    device_ids = {d.pk for d in devices}
    names = dict(Device.objects.values_list("pk", "name"))
    vendors = {pk: (v, m) for pk, v, m in Device.objects.values_list("pk", "vendor", "model")}
    interfaces: dict[int, list[Any]] = defaultdict(list)
    all_interfaces: dict[int, Any] = {
        row["pk"]: row
        for row in Interface.objects.values(
            "pk", "device_id", "name", "if_index", "type", "speed_bps", "enabled", "description"
        ).order_by("device_id", "if_index", "name")
    }
    for row in all_interfaces.values():
        if row["device_id"] in device_ids:
            interfaces[row["device_id"]].append(row)
    ends: dict[int, tuple[Any, str, Any]] = {}  # interface pk → (link, side, far pk)
    lab_links = []
    links: Any = Link.objects.exclude(status=Status.DECOMMISSIONED).values(
        "pk",
        "role",
        "a_interface_id",
        "z_interface_id",
        "committed_down_bps",
        "committed_up_bps",
        "port_speed_bps",
        "establishment__category",
        "technology",
        "establishment__latitude",
        "establishment__longitude",
        "establishment__commune__latitude",
        "establishment__commune__longitude",
    )
    pop_places = _pop_places()
    rtts: dict[int, list[tuple[int, float]]] = defaultdict(list)  # device pk → (rank, ms)
    for link in links:
        a, z = link["a_interface_id"], link["z_interface_id"]
        if a is not None:
            ends[a] = (link, "a", z)
        if z is not None:
            ends[z] = (link, "z", a)
        a_row, z_row = all_interfaces.get(a), all_interfaces.get(z)
        rtt = _link_rtt(link, [pop_places.get(r["device_id"]) for r in (a_row, z_row) if r])
        for row in (a_row, z_row):
            if row is not None:
                rtts[row["device_id"]].append((ROLE_RANK.get(link["role"], 3), rtt))
        lab_links.append(
            LabLink(
                link["pk"],
                names[a_row["device_id"]] if a_row else "",
                _if_index(a_row, interfaces) if a_row else None,
                names[z_row["device_id"]] if z_row else "",
                _if_index(z_row, interfaces) if z_row else None,
            )
        )
    lab_devices = []
    for device in devices:
        credentials, port = _credentials(device.snmp_profile)
        lab_interfaces = []
        for row in interfaces[device.pk]:
            speed = row["speed_bps"] or DEFAULT_SPEEDS.get(row["type"], 1_000_000_000)
            traffic = Traffic(speed, speed, "lan")
            neighbour = None
            link_id = None
            if row["pk"] in ends:
                link, side, far_pk = ends[row["pk"]]
                link_id = link["pk"]
                down = link["committed_down_bps"] or link["port_speed_bps"] or speed
                up = link["committed_up_bps"] or link["port_speed_bps"] or speed
                category = (
                    "backbone"
                    if link["role"] == LinkRole.BACKBONE
                    else link["establishment__category"] or "lan"
                )
                traffic = (
                    Traffic(down, up, category) if side == "a" else Traffic(up, down, category)
                )
                far = all_interfaces.get(far_pk)
                if far is not None:
                    far_name = names[far["device_id"]]
                    neighbour = Neighbour(
                        far_name,
                        chassis_mac(far_name),
                        far["name"],
                        far["description"],
                        sys_descr(*vendors[far["device_id"]]),
                    )
            lab_interfaces.append(
                LabInterface(
                    if_index=_if_index(row, interfaces),
                    name=row["name"],
                    description=row["description"],
                    if_type=IF_TYPES.get(row["type"], 6),
                    speed_bps=speed,
                    enabled=row["enabled"],
                    traffic=traffic,
                    link_id=link_id,
                    neighbour=neighbour,
                )
            )
        lab_interfaces = _share_wan_with_lan(lab_interfaces)
        establishment = device.establishment
        lab_devices.append(
            LabDevice(
                name=device.name,
                address=str(device.management_address),
                port=port,
                credentials=credentials,
                sys_descr=sys_descr(device.vendor, device.model),
                sys_object_id=sys_object_id(device.vendor),
                sys_location=establishment.name
                if establishment
                else (device.pop.name if device.pop else ""),
                chassis_mac=chassis_mac(device.name),
                interfaces=tuple(lab_interfaces),
                establishment_code=establishment.code if establishment else "",
                pop_name=device.pop.name if device.pop else "",
                base_rtt_ms=min(rtts[device.pk])[1] if rtts[device.pk] else DEFAULT_RTT_MS,
            )
        )
    pops = tuple(
        LabPop(name, slug, parent or "")
        for name, slug, parent in Pop.objects.values_list("name", "slug", "parent__name")
    )
    return LabNetwork(tuple(lab_devices), tuple(lab_links), pops)


def _pop_places() -> dict[int, tuple[float, float]]:
    """Where each PoP-housed device stands: its PoP's coordinates, or its commune's."""
    places = {}
    rows = Device.objects.filter(pop__isnull=False).values_list(
        "pk", "pop__latitude", "pop__longitude", "pop__commune__latitude", "pop__commune__longitude"
    )
    for pk, lat, lon, c_lat, c_lon in rows:
        if lat is not None and lon is not None:
            places[pk] = (lat, lon)
        elif c_lat is not None and c_lon is not None:
            places[pk] = (c_lat, c_lon)
    return places


def _link_rtt(link: dict[str, Any], pops: list[tuple[float, float] | None]) -> float:
    """The link's simulated round trip: its technology over the site-to-PoP distance."""
    lat = link["establishment__latitude"]
    lon = link["establishment__longitude"]
    if lat is None or lon is None:
        lat = link["establishment__commune__latitude"]
        lon = link["establishment__commune__longitude"]
    places = [p for p in pops if p is not None]
    km = None
    if lat is not None and lon is not None and places:
        km = distance_km(lat, lon, *places[0])
    elif len(places) == 2:  # a backbone link: PoP to PoP
        km = distance_km(*places[0], *places[1])
    return base_rtt_ms(link["technology"], km)


def _share_wan_with_lan(interfaces: list[LabInterface]) -> list[LabInterface]:
    """On a device with links, what enters its links leaves by its other enabled ports, shared.

    Without this a site's LAN ports would carry a share of their own 1 Gbit/s speed, far more
    than the site's 2 Mbit/s ADSL uplink brings in.
    """
    linked = [i for i in interfaces if i.link_id is not None]
    others = [i for i in interfaces if i.link_id is None and i.enabled]
    if not linked or not others:
        return interfaces
    wan_in = sum(i.traffic.in_limit_bps for i in linked)
    wan_out = sum(i.traffic.out_limit_bps for i in linked)
    category = linked[0].traffic.category
    n = len(others)
    shared = {
        i.if_index: replace(
            i,
            traffic=Traffic(
                min(i.speed_bps, max(1, wan_out // n)),
                min(i.speed_bps, max(1, wan_in // n)),
                category,
            ),
        )
        for i in others
    }
    return [shared.get(i.if_index, i) for i in interfaces]


def _if_index(row: Any, interfaces: dict[int, list[Any]]) -> int:
    if row["if_index"] is not None:
        return int(row["if_index"])
    unindexed = [r["pk"] for r in interfaces.get(row["device_id"], []) if r["if_index"] is None]
    position = unindexed.index(row["pk"]) if row["pk"] in unindexed else 0
    return UNINDEXED_BASE + position
