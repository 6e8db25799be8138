"""The embedded broker: kombu's file-system transport, with every message whole before a worker sees it.

kombu's file-system channel creates a message's file under its final name and only then writes into it.
A worker polling the folder in between moves the still empty file away, cannot decode it, and stops
with "Unrecoverable error: JSONDecodeError"; the message is lost with it (CI met this once in a full
run). Here a message is written under a name no worker reads (``….msg.part``) and renamed to its final
name once written: a rename within one folder is atomic, so a worker finds no file or a whole one.
Workers take files in name order; kombu's names start with the millisecond of a clock that restarts
with the machine, so messages sent within one millisecond, or queued before a restart, came out of
order; here they start with the wall clock's nanosecond, zero-padded. The rename is synced to disk with
its folder, and a partial file that a producer left when it died mid-write (its sender was told the send
failed, or died too) is removed when a channel opens, once it is older than any write takes. Everything
else (the folders, the acknowledgement) is kombu's.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
import uuid
from queue import Empty
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

logger = logging.getLogger(__name__)
PARTIAL_SUFFIX = ".part"
#: A partial file this old belongs to no write in progress (a write takes milliseconds).
PARTIAL_MAX_AGE_SECONDS = 600


class Channel(filesystem.Channel):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sweep_partials()

    def _sweep_partials(self) -> None:
        """Remove the partial files of producers that died while writing; their messages were never
        sent, and nothing else would ever remove them."""
        cutoff = time.time() - PARTIAL_MAX_AGE_SECONDS
        try:
            entries = list(os.scandir(self.data_folder_out))
        except OSError:  # no folder yet: nothing was ever written
            return
        for entry in entries:
            if entry.name.endswith(".msg" + PARTIAL_SUFFIX):
                with contextlib.suppress(OSError):
                    if entry.stat().st_mtime < cutoff:
                        os.unlink(entry.path)
                        logger.warning("Removed %s, left by a producer that stopped mid-write", entry.name)

    # kombu's stubs name the message `message` in the base channel and `payload` in this one.
    def _put(self, queue: str, message: dict[str, Any], **kwargs: Any) -> None:  # type: ignore[override]
        """Put ``message`` on ``queue``: written under a partial name and on disk (a power cut does not
        leave an empty message), then renamed to its final name. A failed write leaves no file."""
        body = str_to_bytes(dumps(message))
        name = f"{time.time_ns():020d}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = final + PARTIAL_SUFFIX
        try:
            with open(partial, "wb") as file:
                file.write(body)
                file.flush()
                os.fsync(file.fileno())  # ~0.3 ms
            os.replace(partial, final)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(partial)
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc
        _sync_folder(self.data_folder_out)

    def _get(self, queue: str) -> Any:  # type: ignore[override]  # as kombu's own channel's (its stubs)
        """The next message of ``queue``. A file that is not a message (one that kombu's own channel left
        empty, say) is logged and passed over; kombu would stop the worker on it."""
        try:
            return super()._get(queue)
        except ValueError:  # json's JSONDecodeError: kombu has already taken the file away
            logger.error("Passed over an unreadable message file in queue %s", queue)
            raise Empty() from None


def _sync_folder(folder: str) -> None:
    """The folder's entries on disk, so that a power cut after the rename keeps the message. The message
    is in place already: a folder that cannot be synced (Windows opens none) is no failed send."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


class Transport(filesystem.Transport):
    Channel = Channel
