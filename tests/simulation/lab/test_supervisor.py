"""The supervisor refuses what it cannot serve, with an error that names the device."""

from __future__ import annotations

import asyncio
import dataclasses
import random
import socket

import pytest

from simulation.lab.model import LabNetwork
from simulation.lab.supervisor import Lab, LabError, LabOptions, shard
from tests.simulation.lab.devices import device
from tests.simulation.lab.small_network import lab_port


def test_a_device_outside_loopback_is_refused() -> None:
    outside = dataclasses.replace(device("cpe-outside"), address="10.1.2.3")
    with pytest.raises(LabError, match=r"cpe-outside: 10\.1\.2\.3 is not a loopback address"):
        Lab(LabNetwork((outside,)))


def test_an_address_already_taken_stops_the_start_and_names_the_device() -> None:
    port = lab_port()
    address = f"127.{random.randrange(60, 250)}.{random.randrange(1, 250)}.7"
    taken = dataclasses.replace(device("cpe-taken"), address=address, port=port)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as squatter:
        squatter.bind((address, port))
        lab = Lab(LabNetwork((taken,)), LabOptions(control_port=0, workers=1))
        with pytest.raises(LabError, match=f"cpe-taken: cannot bind {address}:{port}"):
            asyncio.run(lab.start())
    assert lab.processes == []


def test_shards_balance_interfaces_across_processes() -> None:
    devices = tuple(device(f"cpe-{i}", interfaces=4) for i in range(40))
    devices += tuple(device(f"router-{i}", interfaces=200) for i in range(4))
    shards = shard(devices, 2)
    loads = [sum(len(d.interfaces) + 1 for d in s) for s in shards]
    assert sorted(d.name for s in shards for d in s) == sorted(d.name for d in devices)
    assert max(loads) - min(loads) <= 5
