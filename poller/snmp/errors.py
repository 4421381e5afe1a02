"""Domain exceptions for SNMP failures, so callers never see pysnmp's 4-tuples."""

from __future__ import annotations


class SnmpError(Exception):
    """Any failure to get an answer from an agent."""


class Timeout(SnmpError):
    """No valid reply within the timeout, after all retries."""


class AuthError(SnmpError):
    """The agent rejected the credentials (unknown v3 user, wrong keys, wrong engine)."""


class MalformedReply(SnmpError):
    """The agent's reply could not be decoded as an SNMP message."""


DecodeError = MalformedReply


class AgentError(SnmpError):
    """The agent answered with a non-zero error-status (tooBig, genErr…)."""

    def __init__(self, status: int, index: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.index = index


class NoSuchName(AgentError):
    """The agent does not hold a requested object (error-status noSuchName)."""


ERROR_STATUS_NAMES = {
    1: "tooBig",
    2: "noSuchName",
    3: "badValue",
    4: "readOnly",
    5: "genErr",
    6: "noAccess",
    7: "wrongType",
    8: "wrongLength",
    9: "wrongEncoding",
    10: "wrongValue",
    11: "noCreation",
    12: "inconsistentValue",
    13: "resourceUnavailable",
    14: "commitFailed",
    15: "undoFailed",
    16: "authorizationError",
    17: "notWritable",
    18: "inconsistentName",
}


def agent_error(status: int, index: int, where: str) -> AgentError:
    """The exception for an error-status the agent returned."""
    name = ERROR_STATUS_NAMES.get(status, f"error-status {status}")
    message = f"{where}: agent answered {name} (error-index {index})"
    if status == 2:
        return NoSuchName(status, index, message)
    return AgentError(status, index, message)
