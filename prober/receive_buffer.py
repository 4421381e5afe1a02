"""Room for a slot's replies while the event loop is busy sending or the process waits for a core.

10,500 replies in half a second need ~4 MB of socket buffer (each datagram costs the kernel ~768
octets); past it the kernel drops them silently and the probes are lost. Forced past
`net.core.rmem_max` when privileged, else as much as that allows.
"""

from __future__ import annotations

import socket

RECEIVE_BUFFER = 4 << 20
SO_RCVBUFFORCE = 33  # asm-generic/socket.h; Python's socket module does not name it


def large_receive_buffer(sock: socket.socket) -> None:
    try:
        sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, RECEIVE_BUFFER)
    except PermissionError:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
