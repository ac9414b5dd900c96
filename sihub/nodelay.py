"""Nagle's algorithm off for the app's connections.

Streamlit 1.67 serves through uvicorn from a listening socket it makes as
``socket.socket(family)``, so the connections it accepts report protocol 0, and asyncio turns
Nagle's algorithm off (``TCP_NODELAY``) only for sockets that report ``IPPROTO_TCP``. With
Nagle on, every script run's messages after its first small one waited for the browser's
delayed acknowledgement: 40 ms on Linux, up to 200 ms on Windows. Measured over Streamlit's
protocol on this machine: a new session of a page with two small charts took 47 ms; with
Nagle off, 5-6 ms.
"""

from __future__ import annotations

import asyncio.base_events
import socket

ASYNCIO_OWN = asyncio.base_events._set_nodelay  # as shipped (kept for the test)


def _set_nodelay(sock: socket.socket) -> None:
    """asyncio's own ``_set_nodelay`` without its test of the reported protocol."""
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def switch_off_nagle() -> None:
    """Every TCP connection asyncio accepts or opens from now on sends at once. Idempotent; the
    connection that is open already keeps its setting (the first visitor's, after start-up)."""
    asyncio.base_events._set_nodelay = _set_nodelay  # read by the socket transports each time
