"""A real MLLP round trip for tests: the listener on a port the system picks, a python-hl7 asyncio client."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

import hl7.mllp
from asgiref.sync import sync_to_async
from django.db import connections

from carebridge.interop.services.listener import mllp_server


async def _exchange(port: int, blocks: Iterable[bytes], *, timeout: float) -> list[bytes | None]:
    """Send each block on one connection and read its ACK; ``None`` where the listener closed instead."""
    reader, writer = await hl7.mllp.open_hl7_connection("127.0.0.1", port)
    answers: list[bytes | None] = []
    try:
        for block in blocks:
            writer.writeblock(block)
            await writer.drain()
            try:
                answers.append(await asyncio.wait_for(reader.readblock(), timeout))
            except asyncio.IncompleteReadError:
                answers.append(None)
                break
    finally:
        writer.close()
    return answers


def round_trip(blocks: Iterable[bytes], *, timeout: float = 60) -> list[bytes | None]:
    """Start the listener, send ``blocks`` over a socket, stop the listener; the ACKs in order."""

    async def scenario() -> list[bytes | None]:
        # Port 0: the system picks a free port, so parallel test workers never race for one.
        server = await mllp_server("127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            return await _exchange(port, list(blocks), timeout=timeout)
        finally:
            server.close()
            await server.wait_closed()
            # The listener's worker thread holds a connection of its own: close it, or the test
            # database cannot be dropped at the end of the run.
            await sync_to_async(connections.close_all, thread_sensitive=True)()

    return asyncio.run(scenario())
