"""The distributed tests' private redis-server is private for real: a port of its own, and
never another process's server answering on it (issue 14 §8: two runs shared one broker)."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis

from tests.menhir.cluster import RedisServer


def test_a_private_redis_never_takes_another_servers_port_for_its_own(tmp_path: Path) -> None:
    other = RedisServer(tmp_path / "other").start()  # another run's, on its port
    try:
        taken = RedisServer(tmp_path / "taken", port=other.port)
        with pytest.raises(RuntimeError, match=f"port {other.port} exited"):
            taken.start()
        mine = RedisServer(tmp_path / "mine").start()
        try:
            assert mine.port != other.port
            redis.Redis.from_url(mine.url).set("queued", "task")
            mine.stop()
            mine.start()  # a restart keeps its port, and its own data
            assert redis.Redis.from_url(mine.url).get("queued") == b"task"
        finally:
            mine.stop()
    finally:
        other.stop()
