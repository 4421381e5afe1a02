"""Broker queue lengths for /metrics: a passive declare per queue (RabbitMQ or Redis, through
kombu), which counts the messages waiting and the consumers attached without creating anything."""

from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueueDepth:
    name: str
    messages: int | None  # None: the queue does not exist (yet) on the broker
    consumers: int | None


class BrokerDown(RuntimeError):
    pass


def queue_depths(broker_url: str, names: list[str], timeout: float = 2.0) -> list[QueueDepth]:
    """Raises BrokerDown when the broker cannot be reached."""
    from kombu import Connection
    from kombu.exceptions import OperationalError

    depths = []
    errors: tuple[type[BaseException], ...] = (
        OperationalError,
        OSError,
        *_connection_errors(broker_url),
    )
    try:
        with Connection(broker_url, connect_timeout=timeout, transport_options={}) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            for name in names:
                channel = conn.channel()
                try:
                    _, messages, consumers = channel.queue_declare(queue=name, passive=True)
                    depths.append(QueueDepth(name, int(messages), int(consumers)))
                except conn.channel_errors:  # 404 NOT_FOUND: nobody declared it yet
                    depths.append(QueueDepth(name, None, None))
                finally:
                    try:
                        channel.close()
                    except conn.connection_errors + conn.channel_errors:
                        pass
    except errors as exc:
        raise BrokerDown(str(exc)) from exc
    return depths


def _connection_errors(broker_url: str) -> tuple[type[BaseException], ...]:
    from kombu import Connection

    conn = Connection(broker_url)
    return tuple(conn.connection_errors)
