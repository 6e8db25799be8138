"""Writing behind: the demo loader makes the next batch of rows while PostgreSQL stores the last one.

Profiled at 100,000 patients, about 40 % of the loader's time (330 of 827 s) was spent waiting on
PostgreSQL — the rows of a ``COPY`` being indexed, and each batch's commit checking its deferred foreign
keys — while the loader's own Python work (making the rows) waited for it, one after the other: two
cores, one of them idle. :class:`WriteBehind` runs each batch's write in a second thread on the caller's
own connection (and so in its transactions), one batch at a time, and returns at once; the caller makes
the next batch meanwhile. The waits release the GIL, so they overlap the caller's Python.

Rules, checked where they can be:

- While a write is under way, the caller must not use the database: its queries would interleave with
  the writer's on the same connection. A query (``execute``) from any other thread then raises; a
  ``COPY`` or a transaction's control (``atomic``, ``on_commit``) is not checked. ``wait()`` first.
- The batch handed over belongs to the writer until the next call or ``wait()``: make a new one.
- A failed write raises in the caller at the next call (before anything else is written), at
  ``wait()`` or when the block ends; the write's own transaction is rolled back as usual. When the
  block itself raises, the last write is waited for and its error, if any, added to the block's as a
  note.

Elsewhere than PostgreSQL (SQLite, ``make demo``) each write runs in the caller, at once.

What it gains is bounded by the GIL: the writer's own Python (linking keys, adapting values, COPY's
formatting, the ORM calls a write makes) cannot run beside the caller's, so only the caller's making of
rows overlaps PostgreSQL's work. Make the batch's rows in the caller, as far as they can be made without
the database (the registry's step makes every instance there; the writer only inserts them). At 100,000
patients one load took 754 s against 827 s before, single runs within the machine's noise
(``bench/README.md``).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

# How long the caller's Python may hold the GIL while the writer waits for it, in seconds (Python's
# default is 5 ms): the writer takes it back after each of its many short waits on PostgreSQL. Every
# measured load ran with it; its own effect was not measured apart (bench/README.md).
SWITCH_INTERVAL = 0.0005


class WriteBehind:
    """``with WriteBehind() as behind: behind(write, batch)``: ``write(batch)`` runs in a second thread
    while the caller goes on (see the module's rules); the block waits for the last write."""

    def __init__(self) -> None:
        self._wrapper = connections[DEFAULT_DB_ALIAS]  # what the loader's ``connection`` is
        self._threaded = self._wrapper.vendor == "postgresql"
        self._pool: ThreadPoolExecutor | None = None
        self._pending: Future[Any] | None = None
        self._writer: int | None = None
        self._interval = sys.getswitchinterval()

    def __enter__(self) -> WriteBehind:
        if self._threaded:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-writer")
            self._wrapper.inc_thread_sharing()
            self._wrapper.execute_wrappers.append(self._guard)
            self._interval = sys.getswitchinterval()
            sys.setswitchinterval(SWITCH_INTERVAL)
        return self

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        try:
            if error is None:
                self.wait()
            else:
                try:
                    self.wait()
                except Exception as failed:  # the block's own error stays the one raised
                    error.add_note(f"and the last write behind failed: {failed!r}")
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None
                sys.setswitchinterval(self._interval)
                self._wrapper.execute_wrappers.remove(self._guard)
                self._wrapper.dec_thread_sharing()

    def __call__(self, write: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Run ``write(*args, **kwargs)`` behind the caller, after the previous write has finished."""
        self.wait()
        if self._pool is None:
            if self._threaded:
                raise RuntimeError("WriteBehind is used as a context manager: `with WriteBehind() as ...`")
            write(*args, **kwargs)
            return
        self._pending = self._pool.submit(self._run, write, args, kwargs)

    def wait(self) -> None:
        """Wait for the write under way; its error, if any, is raised here."""
        pending = self._pending
        if pending is None:
            return
        try:
            pending.result()
        finally:
            if pending.done():  # not when the wait itself was interrupted: the write still runs
                self._pending = None

    def _run(self, write: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        # This thread's ``connection`` becomes the caller's: same session, same transactions.
        connections[DEFAULT_DB_ALIAS] = self._wrapper
        self._writer = threading.get_ident()  # the pool's only thread
        return write(*args, **kwargs)

    def _guard(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        pending = self._pending
        if pending is not None and not pending.done() and threading.get_ident() != self._writer:
            raise RuntimeError(
                "The demo's writer thread is using this connection: call wait() before querying."
            )
        return execute(sql, params, many, context)
