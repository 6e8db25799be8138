"""Outbound text messages (SMS, WeChat template messages) through a pluggable gateway.

Hospitals contract different SMS vendors, so the gateway is chosen by settings
(``CAREBRIDGE_SMS_BACKEND``): ``file`` (the default: one JSON line per message under ``var/outbox/``, so
a demo or a test can read what would have been sent), ``console`` (the log), or ``http`` (POST a JSON
body to ``CAREBRIDGE_SMS_HTTP_URL`` with a bearer token; any vendor adapter can sit behind it). Callers
send after their transaction commits and record the result on their own message row; nothing here
touches the database. Numbers are masked in every log line.
"""

from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from carebridge.core.masking import mask_phone

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MessageResult:
    """What the gateway said: accepted (with its reference) or refused (with the reason)."""

    accepted: bool
    backend: str
    provider_id: str = ""
    error: str = ""


class Backend(Protocol):
    name: str

    def send(self, *, to: str, text: str, reference: str, channel: str) -> MessageResult: ...


class ConsoleBackend:
    name = "console"

    def send(self, *, to: str, text: str, reference: str, channel: str) -> MessageResult:
        log.info("%s to %s [%s]: %s", channel, mask_phone(to), reference, text)
        return MessageResult(True, self.name, provider_id=f"console-{uuid.uuid4().hex[:12]}")


class FileBackend:
    """Appends each message to ``<dir>/<channel>.jsonl``: the demo's and the tests' outbox."""

    name = "file"
    _lock = threading.Lock()

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def send(self, *, to: str, text: str, reference: str, channel: str) -> MessageResult:
        provider_id = f"file-{uuid.uuid4().hex[:12]}"
        record = {
            "at": timezone.now().isoformat(),
            "channel": channel,
            "to": to,
            "text": text,
            "reference": reference,
            "id": provider_id,
        }
        self.directory.mkdir(parents=True, exist_ok=True)
        with self._lock, (self.directory / f"{channel}.jsonl").open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return MessageResult(True, self.name, provider_id=provider_id)


class HttpBackend:
    """POSTs ``{"to", "text", "reference", "channel"}``; the gateway answers ``{"id": …}`` or an error."""

    name = "http"

    def __init__(self, url: str, token: str, timeout: float) -> None:
        if not url.startswith(("https://", "http://")):
            raise ImproperlyConfigured(
                "CAREBRIDGE_SMS_HTTP_URL must be an http(s) URL for the http SMS backend."
            )
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, *, to: str, text: str, reference: str, channel: str) -> MessageResult:
        body = json.dumps({"to": to, "text": text, "reference": reference, "channel": channel}).encode()
        request = urllib.request.Request(  # noqa: S310 (an http(s) URL checked above)
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:  # noqa: S310 (configured URL)
                payload = json.loads(reply.read() or b"{}")
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            log.warning("%s to %s [%s] refused: %s", channel, mask_phone(to), reference, error)
            return MessageResult(False, self.name, error=str(error)[:255])
        return MessageResult(True, self.name, provider_id=str(payload.get("id", ""))[:64])


def gateway() -> Backend:
    """The configured backend (settings ``CAREBRIDGE['SMS']``)."""
    config = settings.CAREBRIDGE["SMS"]
    kind = config["BACKEND"]
    if kind == "console":
        return ConsoleBackend()
    if kind == "http":
        return HttpBackend(config["HTTP_URL"], config["HTTP_TOKEN"], config["HTTP_TIMEOUT"])
    return FileBackend(Path(config["FILE_DIR"]))


def send_message(*, to: str, text: str, reference: str, channel: str = "sms") -> MessageResult:
    """Hand one message to the gateway; never raises for a refusal, which comes back in the result."""
    return gateway().send(to=to, text=text, reference=reference, channel=channel)
