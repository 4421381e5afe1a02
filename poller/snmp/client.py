"""`SnmpClient`: what the requests of one event loop share, and the factory of sessions.

SNMPv2c goes through the fast path (shared socket + direct BER decoder) unless asked otherwise.
SNMPv3 goes through Menhir's own USM client (`v3session.py`) when the credentials' protocols are
ones it implements (MD5, SHA, SHA-2 with no privacy or AES-128), through the loop's single pysnmp
engine otherwise (DES, AES-256) or when asked (`fast_v3=False`).
"""

from __future__ import annotations

from types import TracebackType

from poller.snmp.pysnmp_session import PysnmpEngine, PysnmpSession
from poller.snmp.session import Session
from poller.snmp.udp import UdpEndpoint, V2cSession
from poller.snmp.usm import supports
from poller.snmp.v3session import V3Endpoint, V3Session
from poller.types import SnmpVersion, Target


class SnmpClient:
    """Open it inside the event loop that will use it (`async with SnmpClient() as c`)."""

    def __init__(self, *, fast_v2c: bool = True, fast_v3: bool = True) -> None:
        self.fast_v2c = fast_v2c
        self.fast_v3 = fast_v3
        self._endpoint: UdpEndpoint | None = None
        self._v3_endpoint: V3Endpoint | None = None
        self._engine: PysnmpEngine | None = None
        # pysnmp configures a target (LCD tables) on first use: reuse sessions across cycles.
        self._pysnmp_sessions: dict[tuple[object, ...], PysnmpSession] = {}

    async def __aenter__(self) -> SnmpClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    async def session(self, target: Target) -> Session:
        address = (target.address, target.port)
        credentials = target.credentials
        if credentials.version == SnmpVersion.V2C and self.fast_v2c:
            if self._endpoint is None:
                self._endpoint = await UdpEndpoint.open()
            return V2cSession(
                self._endpoint,
                address,
                credentials.community.encode(),
                target.timeout_s,
                target.retries,
            )
        if (
            credentials.version == SnmpVersion.V3
            and self.fast_v3
            and supports(credentials.auth_protocol, credentials.priv_protocol)
        ):
            return V3Session(
                await self.v3_endpoint(), address, credentials, target.timeout_s, target.retries
            )
        if self._engine is None:
            self._engine = PysnmpEngine()
        key = (address, credentials, target.timeout_s, target.retries)
        session = self._pysnmp_sessions.get(key)
        if session is None:
            session = PysnmpSession(
                self._engine, address, credentials, target.timeout_s, target.retries
            )
            self._pysnmp_sessions[key] = session
        return session

    async def v3_endpoint(self) -> V3Endpoint:
        """The SNMPv3 socket, with the agents' engine IDs and clocks learnt so far."""
        if self._v3_endpoint is None:
            self._v3_endpoint = await V3Endpoint.open()
        return self._v3_endpoint

    def close(self) -> None:
        if self._endpoint is not None:
            self._endpoint.close()
            self._endpoint = None
        if self._v3_endpoint is not None:
            self._v3_endpoint.close()
            self._v3_endpoint = None
        if self._engine is not None:
            self._engine.close()
            self._engine = None
        self._pysnmp_sessions.clear()
