"""The top navigation: menus of the pages a user may open, grouped by the work they belong to.

Fifteen links in a row no longer fit a laptop's width once the checkup centre, the scorecard and the
standards joined, so the pages sit in six menus. A user sees only the entries their permissions open; a
menu with one visible entry shows as a plain link (a ward nurse does not open a menu to reach one page),
and a menu with none is left out. Entries name URLs by string, so this module imports no app above core.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Entry:
    label: str | Promise
    url_name: str
    any_of: tuple[str, ...]  # shown when the user holds any of these permissions
    unless: tuple[str, ...] = ()  # …and none of these (the fuller page of the same work is shown instead)


@dataclass(frozen=True)
class Menu:
    label: str | Promise
    entries: tuple[Entry, ...]


@dataclass
class Link:
    label: str | Promise
    url: str
    active: bool = False


@dataclass
class VisibleMenu:
    label: str | Promise
    links: list[Link] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return any(link.active for link in self.links)

    @property
    def single(self) -> Link | None:
        return self.links[0] if len(self.links) == 1 else None


_STANDARDS = (
    "performance.view_activity",
    "performance.view_course",
    "performance.view_finding",
    "performance.view_standards_statistics",
)

MENUS: tuple[Menu, ...] = (
    Menu(
        _("Service desk"),
        (
            Entry(_("Workspace"), "desk:workspace", ("frontdesk.add_inquiry", "frontdesk.view_escort")),
            Entry(_("Knowledge base"), "knowledge:search", ("knowledge.view_departmentprofile",)),
            Entry(_("Complaints"), "desk:complaint_list", ("complaints.view_complaint",)),
            Entry(
                _("Complaint statistics"),
                "desk:complaint_statistics",
                ("complaints.view_complaint_statistics",),
                unless=("complaints.view_complaint",),
            ),
        ),
    ),
    Menu(
        _("Patients"),
        (
            Entry(_("Patients"), "patients:list", ("patients.view_patient",)),
            Entry(_("Classification"), "patients:classification", ("patients.view_registry_statistics",)),
            Entry(_("Duplicates"), "patients:duplicates", ("patients.merge_patient",)),
            Entry(_("Access log"), "patients:access_log", ("patients.view_patientaccesslog",)),
        ),
    ),
    Menu(
        _("Follow-up"),
        (
            Entry(_("Call queue"), "followup:queue", ("followup.change_touchpoint",)),
            Entry(_("Care plans"), "followup:plan_list", ("followup.view_careplan",)),
            Entry(_("Stay plans"), "followup:stay_plan_list", ("followup.view_stayplan",)),
            Entry(_("My programme"), "followup:manager", ("followup.view_followup_kpis",)),
            Entry(_("Follow-up KPIs"), "followup:kpi_dashboard", ("followup.view_followup_kpis",)),
            Entry(_("Chronic programmes"), "followup:programme_list", ("followup.view_chronicprogramme",)),
            Entry(_("Ward programme"), "followup:meeting_list", ("followup.view_wardmeeting",)),
        ),
    ),
    Menu(
        _("Satisfaction"),
        (
            Entry(_("Instruments"), "surveys:home", ("surveys.view_instrument",)),
            Entry(_("Survey waves"), "surveys:wave_list", ("surveys.view_wave",)),
            Entry(_("Survey responses"), "surveys:response_list", ("surveys.view_response",)),
            Entry(_("Mystery-patient audits"), "surveys:audit_rounds", ("surveys.view_auditround",)),
            Entry(_("Interviews and focus groups"), "surveys:sessions", ("surveys.view_qualitativesession",)),
            Entry(_("Expert-panel reviews"), "surveys:reviews", ("surveys.view_expertreview",)),
            Entry(_("Satisfaction analysis"), "insights:overview", ("surveys.analyse_surveys",)),
            Entry(_("Hospital group comparison"), "insights:group", ("surveys.analyse_surveys",)),
            Entry(
                _("Interviews and focus groups: coded topics"),
                "insights:qualitative",
                ("surveys.analyse_surveys",),
            ),
            Entry(_("Monthly report"), "insights:report", ("surveys.analyse_surveys",)),
        ),
    ),
    Menu(
        _("Checkup and results"),
        (
            Entry(_("Checkup centre"), "checkup:home", ("checkup.view_visit",)),
            Entry(_("Critical results"), "critical:queue", ("critical.work_notification",)),
            Entry(
                _("Critical results"),
                "critical:dashboard",
                ("critical.view_critical_kpis",),
                unless=("critical.work_notification",),
            ),
            Entry(_("Checkup centre report"), "reports:centre", ("reports.view_centre_report",)),
            Entry(_("Interfaces"), "interop:messages", ("interop.view_inboundmessage",)),
        ),
    ),
    Menu(
        _("Management"),
        (
            Entry(_("Cockpit"), "reports:cockpit", ("performance.view_cockpit",)),
            Entry(_("Monthly leadership report"), "reports:leadership", ("reports.view_leadership_report",)),
            Entry(_("Scorecards"), "performance:scorecards", ("performance.view_scorecards",)),
            Entry(_("Standards and activities"), "performance:home", _STANDARDS),
            Entry(
                _("Improvement actions"), "performance:action_list", ("performance.view_improvementaction",)
            ),
        ),
    ),
)


def navigation_for(user: Any, path: str) -> list[VisibleMenu]:
    """The menus ``user`` sees with the links they may open; the link ``path`` lies under is active."""
    return [
        VisibleMenu(
            label,
            [
                Link(text, url, active=path == url or path.startswith(url.rstrip("/") + "/"))
                for text, url in links
            ],
        )
        for label, links in _visible_links(_held(user), get_script_prefix())
    ]


def _held(user: Any) -> frozenset[str] | None:
    """What decides the menus: ``None`` for an active superuser (every entry is open), else the
    permissions the user holds (``has_perm`` is membership in them for every backend installed)."""
    if user.is_active and user.is_superuser:
        return None
    return frozenset(user.get_all_permissions())


@functools.lru_cache(maxsize=256)
def _visible_links(
    held: frozenset[str] | None, script_prefix: str
) -> tuple[tuple[str | Promise, tuple[tuple[str | Promise, str], ...]], ...]:
    """The visible menus and their links for a set of permissions, worked out once per process: every
    page asked ~45 permission checks and ~18 ``reverse()`` of the same names (issue 18 item 2). The
    labels stay lazy (translated as each page renders them); ``script_prefix`` is in the key because
    ``reverse()`` puts it in front of every URL."""
    del script_prefix

    def holds(permission: str) -> bool:
        return held is None or permission in held

    menus = []
    for menu in MENUS:
        links = tuple(
            (entry.label, reverse(entry.url_name))
            for entry in menu.entries
            if any(map(holds, entry.any_of)) and not any(map(holds, entry.unless))
        )
        if links:
            menus.append((menu.label, links))
    return tuple(menus)
