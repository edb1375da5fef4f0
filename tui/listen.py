"""A listening TCP socket for a server run inside this program (the simulator, a push listener)."""

from __future__ import annotations

import socket


def bind_listener(host: str, port: int) -> socket.socket:
    """A bound socket (port 0: a free one), so the port is known before serving starts.

    IPPROTO_TCP is named on purpose: asyncio turns Nagle's algorithm off (TCP_NODELAY) only on
    sockets that say they are TCP, and without that a kept-alive reply written in two parts (head,
    then body) waits ~40 ms for the client's delayed ACK, on every request but a connection's first.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on now, for the console's push listener."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]
