"""The embedded broker never shows a worker a message that is still being written (``core/broker.py``).

kombu's own file-system channel creates the message file under its final name and writes it next; a
worker polling in between took the empty file and stopped on a JSONDecodeError, losing the message. The
test polls the queue at that very moment, from inside the producer's ``open``, so it is deterministic.
"""

from __future__ import annotations

import builtins
import os
import time
from queue import Empty

import pytest
from kombu import Connection
from kombu.transport import filesystem

from carebridge.core import broker


def _channel(transport, folder):
    connection = Connection(
        "filesystem://",
        transport=transport,
        transport_options={
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            "store_processed": False,
        },
    )
    return connection, connection.channel()


def _poll_while_the_producer_writes(channel, folder, monkeypatch):
    """Make the producer's ``open`` of a message file poll the queue first; return what the polls got."""
    real_open = builtins.open
    polls: list[object] = []

    def open_and_poll(path, mode="r", *args, **kwargs):
        file = real_open(path, mode, *args, **kwargs)
        if "w" in mode and str(path).startswith(str(folder)):
            try:
                polls.append(channel._get("visits"))
            except Empty:
                polls.append("empty")
            except ValueError as exc:  # json's JSONDecodeError
                polls.append(exc)
        return file

    monkeypatch.setattr(builtins, "open", open_and_poll)
    return polls


def test_a_poll_while_a_message_is_written_finds_nothing_then_the_whole_message(tmp_path, monkeypatch):
    connection, channel = _channel("carebridge.core.broker:Transport", tmp_path)
    polls = _poll_while_the_producer_writes(channel, tmp_path, monkeypatch)

    channel._put("visits", {"body": "随访提醒", "n": 1})
    monkeypatch.undo()

    assert polls == ["empty"]
    assert channel._get("visits") == {"body": "随访提醒", "n": 1}
    with pytest.raises(Empty):
        channel._get("visits")
    assert list(tmp_path.iterdir()) == []
    connection.release()


def test_kombus_own_channel_shows_the_empty_file_which_is_why_the_project_has_its_own(tmp_path, monkeypatch):
    """The same poll against kombu's channel meets the half-written message: the failure being fixed."""
    connection, channel = _channel("filesystem", tmp_path)
    assert not isinstance(channel, broker.Channel) and isinstance(channel, filesystem.Channel)
    polls = _poll_while_the_producer_writes(channel, tmp_path, monkeypatch)

    channel._put("visits", {"body": "随访提醒", "n": 1})
    monkeypatch.undo()

    assert len(polls) == 1 and isinstance(polls[0], ValueError)
    connection.release()


def test_messages_keep_their_order_and_a_stray_partial_file_is_not_read(tmp_path):
    connection, channel = _channel("carebridge.core.broker:Transport", tmp_path)
    (tmp_path / f"0_stray.visits.msg{broker.PARTIAL_SUFFIX}").write_bytes(b"")
    for n in range(3):
        channel._put("visits", {"n": n})

    assert [channel._get("visits")["n"] for _ in range(3)] == [0, 1, 2]
    with pytest.raises(Empty):
        channel._get("visits")
    connection.release()


def test_an_unreadable_message_file_is_passed_over_with_an_error_not_the_worker_stopped(tmp_path, caplog):
    """An empty file under a message's name (left by kombu's own channel, or a crash before this one) is
    logged and skipped; the messages after it are delivered."""
    connection, channel = _channel("carebridge.core.broker:Transport", tmp_path)
    (tmp_path / f"{0:020d}_empty.visits.msg").write_bytes(b"")
    channel._put("visits", {"n": 1})

    with pytest.raises(Empty):
        channel._get("visits")
    assert channel._get("visits") == {"n": 1}
    assert "unreadable message file in queue visits" in caplog.text
    connection.release()


def test_a_message_that_cannot_be_written_leaves_no_file(tmp_path, monkeypatch):
    from kombu.exceptions import ChannelError

    connection, channel = _channel("carebridge.core.broker:Transport", tmp_path)

    def full_disk(_descriptor):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(broker.os, "fsync", full_disk)
    with pytest.raises(ChannelError):
        channel._put("visits", {"n": 1})
    assert list(tmp_path.iterdir()) == []
    connection.release()


def test_a_partial_file_left_by_a_producer_that_died_is_removed_when_a_channel_opens(tmp_path, caplog):
    """A producer that died between writing and renaming left ``….msg.part``, which no worker reads;
    a partial file as young as a write in progress stays."""
    left = tmp_path / f"{0:020d}_died.visits.msg{broker.PARTIAL_SUFFIX}"
    writing = tmp_path / f"{1:020d}_writing.visits.msg{broker.PARTIAL_SUFFIX}"
    other = tmp_path / "notes.txt"
    for path in (left, writing, other):
        path.write_bytes(b"{")
    an_hour_ago = time.time() - 3600
    for path in (left, other):
        os.utime(path, (an_hour_ago, an_hour_ago))

    connection, _channel_opened = _channel("carebridge.core.broker:Transport", tmp_path)

    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([writing.name, other.name])
    assert f"Removed {left.name}" in caplog.text
    connection.release()
