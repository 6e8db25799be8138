"""The one transition service every life cycle uses.

A life cycle is a status field, a table of allowed moves (kept in the owning app's ``choices.py``) and a
transition model (a subclass of :class:`carebridge.core.models.Transition`). :func:`transition_apply`
refuses a move the table does not allow (``ValidationError`` on ``to``, nothing changed), saves the new
status and writes the transition row in the caller's transaction. Pages ask :meth:`Lifecycle.allowed`
which moves to offer instead of re-deriving the rules. An app's own service (``complaint_transition``
…) adds its domain checks and side effects around this call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import Transition
from carebridge.core.services.rows import Child, insert_together
from carebridge.core.types import Actor
from carebridge.core.validators import require_aware

if TYPE_CHECKING:
    from django.contrib.auth.models import User

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Lifecycle(Generic[M]):
    """A status field, its allowed moves and the table that records them.

    ``record`` is the transition model and ``subject`` the name of its foreign key to the object;
    ``choices`` gives the order and the labels of the statuses (for messages and for pages).
    """

    record: type[Transition]
    subject: str
    moves: Mapping[str, frozenset[str]]
    choices: type[models.TextChoices]
    field: str = "status"
    # Extra columns of the record that a caller may set (``assigned_to``, ``from_step`` …).
    extra_columns: Sequence[str] = ()

    @cached_property
    def _labels(self) -> dict[str, Any]:
        """Each status's label (lazy, translated when shown), in the order of the choices: read once, as a
        choices class builds its list again on every ``.choices`` and ``.values``."""
        return dict(self.choices.choices)

    def allowed(self, obj: M) -> list[str]:
        """The statuses ``obj`` may move to now, in the order of the choices."""
        targets = self.moves.get(getattr(obj, self.field), frozenset())
        return [value for value in self._labels if value in targets]

    def allowed_choices(self, obj: M) -> list[tuple[str, str]]:
        """``(value, label)`` pairs for a page's buttons or a form's select."""
        return [(value, str(self._labels[value])) for value in self.allowed(obj)]

    def label(self, value: str) -> str:
        return str(self._labels.get(value, value))

    def check(self, obj: M, to: str) -> None:
        """Raise ``ValidationError`` (on ``to``) unless the table allows ``obj`` to move to ``to``."""
        current = getattr(obj, self.field)
        if to not in self._labels:
            raise ValidationError({"to": [_("Unknown status.")]})
        if to not in self.moves.get(current, frozenset()):
            raise ValidationError(
                {
                    "to": [
                        _("Cannot move from %(current)s to %(to)s.")
                        % {"current": self.label(current), "to": self.label(to)}
                    ]
                }
            )

    def row(
        self,
        obj: M,
        *,
        from_status: str,
        to_status: str,
        actor: Actor | None,
        at: dt.datetime,
        reason: str = "",
        **extra: Any,
    ) -> Transition:
        """An unsaved transition row (for ``bulk_create`` by importers and the demo loader)."""
        unknown = set(extra) - set(self.extra_columns)
        if unknown:
            raise TypeError(f"{self.record.__name__} has no columns {sorted(unknown)}")
        return self.record(
            **{self.subject: obj},
            at=at,
            # Only a signed-in user is recorded: the anonymous user of a request counts as the system.
            actor=cast("User | None", actor if getattr(actor, "is_authenticated", False) else None),
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            **extra,
        )


def transition_apply(
    *,
    lifecycle: Lifecycle[M],
    obj: M,
    to: str,
    actor: Actor | None,
    reason: str = "",
    at: dt.datetime | None = None,
    update_fields: Iterable[str] = (),
    record: Mapping[str, Any] | None = None,
    save: Callable[[M, list[str]], None] | None = None,
    along: Sequence[models.Model] = (),
) -> Transition:
    """Move ``obj`` to ``to``: check the table, save the status (and ``update_fields``) and write the row.

    Call it inside the app service's ``transaction.atomic``; ``at`` defaults to now and must be aware.
    ``record`` fills the life cycle's extra columns. On a hot path, ``save(obj, fields)`` saves the fields
    instead of ``obj.save(update_fields=…)`` (``core.services.rows.update_saved``), and ``along`` are new
    rows (an audit row) written with the transition row in one statement (``insert_together``).
    """
    lifecycle.check(obj, to)
    moment = timezone.now() if at is None else require_aware(at, field="at")
    current = getattr(obj, lifecycle.field)
    setattr(obj, lifecycle.field, to)
    fields = list(dict.fromkeys([lifecycle.field, *update_fields]))
    if save is None:
        obj.save(update_fields=fields)
    else:
        save(obj, fields)
    row = lifecycle.row(
        obj, from_status=current, to_status=to, actor=actor, at=moment, reason=reason, **dict(record or {})
    )
    if along:
        insert_together(row, [Child(other) for other in along])
    else:
        row.save()
    return row


def transition_record(
    *,
    lifecycle: Lifecycle[M],
    obj: M,
    from_status: str,
    to_status: str,
    actor: Actor | None,
    reason: str = "",
    at: dt.datetime | None = None,
    record: Mapping[str, Any] | None = None,
) -> Transition:
    """Write a row for a change the caller made itself (a creation ``'' → initial``, or a field other
    than the status, such as a care plan's tier), without the table check."""
    moment = timezone.now() if at is None else require_aware(at, field="at")
    row = lifecycle.row(
        obj,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        at=moment,
        reason=reason,
        **dict(record or {}),
    )
    row.save()
    return row
