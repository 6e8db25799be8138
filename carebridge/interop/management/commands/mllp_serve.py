"""``manage.py mllp_serve [--host 127.0.0.1] [--port 2575]``: the HL7 v2 listener (ACK after commit)."""

from __future__ import annotations

import asyncio
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from carebridge.interop.services.listener import mllp_server


class Command(BaseCommand):
    help = "Listen for HL7 v2 messages over MLLP and file them (ADT, ORU^R01)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.INTEROP_MLLP_HOST)
        parser.add_argument("--port", type=int, default=settings.INTEROP_MLLP_PORT)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        async def run() -> None:
            server = await mllp_server(host, port)
            self.stdout.write(f"MLLP listener on {host}:{port}", ending="\n")
            self.stdout.flush()
            async with server:
                await server.serve_forever()

        try:
            asyncio.run(run())
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
