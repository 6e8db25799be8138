"""The MLLP listener (``manage.py mllp_serve``): python-hl7's asyncio MLLP server, one connection per
sending system, messages on a connection handled one after the other (a sender waits for each ACK).

Each block is handed, as bytes, to :func:`hl7_receive` in a worker thread (the ORM is synchronous); the
ACK it returns is written only when it returns, i.e. after the transaction has committed. If it raises
(the database is gone, the process is stopping) no ACK is sent and the connection is closed: the sender
re-sends, and the source key (MSH-4 + MSH-10) makes the re-send harmless.
"""

from __future__ import annotations

import asyncio
import logging

import hl7.mllp
from asgiref.sync import sync_to_async
from django.db import close_old_connections

from carebridge.interop.services.messages import hl7_receive

logger = logging.getLogger(__name__)


def _receive(block: bytes) -> bytes:
    close_old_connections()  # a long-lived listener must not keep a connection the database dropped
    return hl7_receive(raw=block)


async def _connection(reader: hl7.mllp.HL7StreamReader, writer: hl7.mllp.HL7StreamWriter) -> None:
    peer = writer.get_extra_info("peername")
    try:
        while True:
            try:
                block = await reader.readblock()
            except asyncio.IncompleteReadError:
                break  # the sender closed the connection
            except (hl7.mllp.InvalidBlockError, ValueError):
                logger.warning("Invalid MLLP framing from %s; closing the connection.", peer)
                break
            try:
                ack = await sync_to_async(_receive, thread_sensitive=True)(block)
            except Exception:
                logger.exception("A message from %s could not be handled; no ACK sent.", peer)
                break
            writer.writeblock(ack)
            await writer.drain()
    finally:
        writer.close()


async def mllp_server(host: str, port: int) -> asyncio.AbstractServer:
    """Start listening; the caller keeps the server running (``serve_forever``) and closes it."""
    server: asyncio.AbstractServer = await hl7.mllp.start_hl7_server(_connection, host=host, port=port)
    return server
