"""``manage.py interop_demo_day [--host 127.0.0.1] [--port 2575] [--delay 0.5]``: replay a day of ADT and
ORU traffic into the running demo over MLLP (the listener of ``mllp_serve`` must be running)."""

from __future__ import annotations

import asyncio
from typing import Any

import hl7.mllp
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from carebridge.core.models import Hospital
from carebridge.interop.demo.day import demo_day


class Command(BaseCommand):
    help = "Send a realistic day of HL7 v2 ADT and ORU^R01 messages to the MLLP listener."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.INTEROP_MLLP_HOST)
        parser.add_argument("--port", type=int, default=settings.INTEROP_MLLP_PORT)
        parser.add_argument("--delay", type=float, default=0.5, help="seconds between messages")
        parser.add_argument("--hospital", default="lxq-demo")

    def handle(self, *args: Any, host: str, port: int, delay: float, hospital: str, **options: Any) -> None:
        target = Hospital.objects.filter(code=hospital).first()
        if target is None:
            raise CommandError(f"No hospital {hospital}; run seed_demo first.")
        messages = demo_day(hospital=target)

        async def send() -> None:
            reader, writer = await hl7.mllp.open_hl7_connection(host, port)
            try:
                for raw in messages:
                    writer.writeblock(raw)
                    await writer.drain()
                    ack = (await reader.readblock()).decode("utf-8", errors="replace")
                    head = raw.split(b"\r", 1)[0].decode().split("|")
                    msa = next((s.split("|") for s in ack.split("\r") if s.startswith("MSA|")), ["", "?"])
                    err = next((s.split("|")[8] for s in ack.split("\r") if s.startswith("ERR|")), "")
                    err = err.replace("\\F\\", "|").replace("\\S\\", "^")
                    self.stdout.write(f"{head[8]:<18} {head[9]:<24} {msa[1]} {err}".rstrip())
                    await asyncio.sleep(delay)
            finally:
                writer.close()

        try:
            asyncio.run(send())
        except OSError as error:
            raise CommandError(f"Cannot reach the MLLP listener at {host}:{port}: {error}") from None
