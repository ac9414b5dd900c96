"""Nagle's algorithm is off on the connections the app's server accepts (``sihub.nodelay``):
a listening socket made as Streamlit makes it (protocol 0) hands asyncio connections that it
would otherwise leave with Nagle on, each run's messages waiting for a delayed ACK."""

from __future__ import annotations

import asyncio
import socket
from concurrent.futures import ThreadPoolExecutor

import pytest

from sihub import nodelay


def accepted_nodelay() -> int:
    """TCP_NODELAY of a connection accepted by an asyncio server on a socket made as
    Streamlit's server makes it (``socket.socket(family)``: protocol 0)."""

    async def serve() -> int:
        listening = socket.socket(socket.AF_INET)
        listening.bind(("127.0.0.1", 0))
        accepted: asyncio.Future = asyncio.get_running_loop().create_future()

        async def on_connection(reader, writer) -> None:
            sock = writer.get_extra_info("socket")
            accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(on_connection, sock=listening)
        _, writer = await asyncio.open_connection(*listening.getsockname())
        found = await asyncio.wait_for(accepted, 10)
        writer.close()
        server.close()
        return found

    with ThreadPoolExecutor(1) as thread:  # a loop of its own (a browser test's may be running)
        return thread.submit(asyncio.run, serve()).result()


@pytest.fixture
def asyncio_as_shipped(monkeypatch):
    """asyncio's own setting of TCP_NODELAY (an app run in this process may have switched Nagle
    off already), as it was before after the test."""
    monkeypatch.setattr(asyncio.base_events, "_set_nodelay", nodelay.ASYNCIO_OWN)


def test_streamlits_kind_of_socket_keeps_nagle_on_without_the_fix(asyncio_as_shipped):
    if accepted_nodelay():
        pytest.skip("this Python's asyncio already turns Nagle off on such sockets")
    nodelay.switch_off_nagle()
    assert accepted_nodelay() == 1
