"""Servers inside the program (the simulator, push listeners) answer without Nagle's delay."""

from __future__ import annotations

import asyncio
import socket

import pytest

from tui.listen import bind_listener


async def test_connections_accepted_on_a_bound_listener_have_nagle_off():
    sock = bind_listener("127.0.0.1", 0)
    accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def connected(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("socket")
        accepted.set_result(peer.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()

    server = await asyncio.start_server(connected, sock=sock)
    async with server:
        port = sock.getsockname()[1]
        _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        # Without TCP_NODELAY a reply's body waits ~40 ms behind its head on a kept-alive connection.
        assert await asyncio.wait_for(accepted, 5) != 0
        writer.close()


def test_a_taken_port_is_an_os_error():
    with bind_listener("127.0.0.1", 0) as taken:
        taken.listen()
        with pytest.raises(OSError):
            bind_listener("127.0.0.1", taken.getsockname()[1])
