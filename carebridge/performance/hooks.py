"""What the performance app registers with the apps below it; ``apps.PerformanceConfig.ready()`` imports it.

The improvement actions raised from a record are listed on that record's page (``core.panels``): a
complaint, a ward's daily sync, a meeting show the actions raised from them, with a button to raise one.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.template.loader import render_to_string

from carebridge.core.panels import panel_register
from carebridge.performance.selectors.actions import actions_for


def source_panel(request: Any, obj: models.Model) -> str:
    user = request.user
    if not user.has_perm("performance.view_improvementaction"):
        return ""
    department_id = getattr(obj, "department_id", None)
    departments = getattr(obj, "departments", None)
    if department_id is None and departments is not None and hasattr(departments, "order_by"):
        first = departments.order_by("id").first()
        department_id = first.pk if first is not None else None
    return render_to_string(
        "performance/_source_actions.html",
        {
            "actions": list(actions_for(user=user, obj=obj)),
            "can_add": user.has_perm("performance.add_improvementaction"),
            "source_model": obj._meta.label_lower,
            "obj": obj,
            "department": department_id or "",
        },
        request=request,
    )


for _label in ("complaints.complaint", "followup.wardsync", "followup.wardmeeting"):
    panel_register(_label)(source_panel)
