"""The on-disk spool: batches the database could not take, kept until they are replayed.

One file per batch, written once and never changed (append-only), fsync'd, then renamed into
place, so a file under its final name is always complete. Files sort in write order by name:
`<time_ns:020d>-<pid>-<seq:06d>.jsonl`. Format (JSON Lines, UTF-8):

    {"format": "menhir-metrics-spool", "version": 1, "interfaces": N, "devices": M, "events": K,
     "probes": P}
    {"record": "interface", "time": "2026-11-28T10:00:00+00:00", "device_id": 1, ...}
    {"record": "device", ...}
    {"record": "event", ...}
    {"record": "probe", ...}

The header's counts let a reader tell a damaged file from a complete one.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from datetime import datetime
from itertools import count
from pathlib import Path
from typing import Any

from metrics.types import DeviceSample, InterfaceSample, LinkProbe, OperStatus, StatusEvent

FORMAT = "menhir-metrics-spool"
VERSION = 1
_seq = count()


class SpoolFormatError(ValueError):
    """A spool file that is not a complete batch of this format."""


@dataclass
class Batch:
    interfaces: list[InterfaceSample] = field(default_factory=list)
    devices: list[DeviceSample] = field(default_factory=list)
    events: list[StatusEvent] = field(default_factory=list)
    probes: list[LinkProbe] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.interfaces) + len(self.devices) + len(self.events) + len(self.probes)


def _record(kind: str, obj: InterfaceSample | DeviceSample | StatusEvent | LinkProbe) -> str:
    data: dict[str, Any] = {"record": kind}
    for name in obj.__slots__:
        value = getattr(obj, name)
        data[name] = value.isoformat() if isinstance(value, datetime) else value
    return json.dumps(data, separators=(",", ":"))


def encode(batch: Batch) -> bytes:
    header = {
        "format": FORMAT,
        "version": VERSION,
        "interfaces": len(batch.interfaces),
        "devices": len(batch.devices),
        "events": len(batch.events),
        "probes": len(batch.probes),
    }
    lines = [json.dumps(header)]
    lines += [_record("interface", s) for s in batch.interfaces]
    lines += [_record("device", s) for s in batch.devices]
    lines += [_record("event", e) for e in batch.events]
    lines += [_record("probe", p) for p in batch.probes]
    return ("\n".join(lines) + "\n").encode()


def decode(data: bytes) -> Batch:
    try:
        lines = data.decode().splitlines()
        header = json.loads(lines[0])
    except (UnicodeDecodeError, IndexError, json.JSONDecodeError) as exc:
        raise SpoolFormatError(f"unreadable spool header: {exc}") from exc
    if header.get("format") != FORMAT or header.get("version") != VERSION:
        raise SpoolFormatError(f"not a {FORMAT} v{VERSION} file: {header!r}")
    batch = Batch()
    for number, line in enumerate(lines[1:], start=2):
        try:
            record = json.loads(line)
            kind = record.pop("record")
            record["time"] = datetime.fromisoformat(record["time"])
            if kind == "interface":
                record["oper_status"] = OperStatus(record["oper_status"])
                batch.interfaces.append(InterfaceSample(**record))
            elif kind == "device":
                batch.devices.append(DeviceSample(**record))
            elif kind == "event":
                batch.events.append(StatusEvent(**record))
            elif kind == "probe":
                batch.probes.append(LinkProbe(**record))
            else:
                raise ValueError(f"unknown record kind {kind!r}")
        except (ValueError, KeyError, TypeError) as exc:
            raise SpoolFormatError(f"line {number}: {exc}") from exc
    expected = (
        header.get("interfaces"),
        header.get("devices"),
        header.get("events"),
        header.get("probes", 0),  # files spooled before probes existed have none
    )
    found = (len(batch.interfaces), len(batch.devices), len(batch.events), len(batch.probes))
    if expected != found:
        raise SpoolFormatError(f"truncated batch: header says {expected}")
    return batch


class Spool:
    """A folder of pending batches, oldest first."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.rejected = self.directory / "rejected"

    def _ensure(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)

    def append(self, batch: Batch) -> Path:
        """Write one batch durably (file fsync'd, then renamed, then the folder fsync'd)."""
        self._ensure()
        name = f"{time.time_ns():020d}-{os.getpid()}-{next(_seq):06d}.jsonl"
        final = self.directory / name
        partial = self.directory / (name + ".partial")
        with open(partial, "wb") as handle:
            handle.write(encode(batch))
            handle.flush()
            os.fsync(handle.fileno())
        os.rename(partial, final)
        _fsync_dir(self.directory)
        return final

    def pending(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(self.directory.glob("*.jsonl"))

    def read(self, path: Path) -> Batch:
        return decode(path.read_bytes())

    def remove(self, path: Path) -> None:
        path.unlink()
        _fsync_dir(self.directory)

    def reject(self, path: Path, reason: str) -> Path:
        """Set a batch aside (kept, never lost) with the reason beside it."""
        self.rejected.mkdir(parents=True, exist_ok=True)
        target = self.rejected / path.name
        os.rename(path, target)
        (self.rejected / (path.name + ".reason")).write_text(reason + "\n")
        _fsync_dir(self.rejected)
        _fsync_dir(self.directory)
        return target


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
