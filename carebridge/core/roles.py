"""The roles of DESIGN §4 as Django groups, with their permissions.

The data migrations create the groups from the table as it stood when they were written; later
migrations extend it. ``manage.py sync_roles`` brings an installation in line with this module, and a
test checks that migrations and this table agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from carebridge.core.prepared import STAND_IN_ID, PreparedQuery

PATIENT_READ = ("patients.view_patient", "patients.view_encounter", "core.view_department")
SEE_WHOLE_HOSPITAL = "core.hospital_wide_scope"


@dataclass(frozen=True)
class Role:
    name: str
    label: str | Promise
    permissions: tuple[str, ...]
    # Staff in these roles may use the Django admin site.
    admin_site: bool = False


_BASE_ROLES: tuple[Role, ...] = (
    Role(
        "agent",
        _("Customer-service agent (客服专员)"),
        (
            *PATIENT_READ,
            SEE_WHOLE_HOSPITAL,
            "patients.add_patient",
            "patients.change_patient",
            "patients.reveal_identifiers",
            "patients.view_registry_statistics",
        ),
    ),
    Role(
        "ward_manager",
        _("Ward project manager (病区项目经理)"),
        (
            *PATIENT_READ,
            "patients.change_patient",
            "patients.reveal_identifiers",
            "patients.view_registry_statistics",
        ),
    ),
    Role("clinician", _("Doctor or nurse (医生/护士)"), (*PATIENT_READ, "patients.reveal_identifiers")),
    Role(
        "checkup_staff",
        _("Health-checkup centre (体检中心)"),
        (
            *PATIENT_READ,
            "patients.add_patient",
            "patients.change_patient",
            "patients.add_encounter",
            "patients.reveal_identifiers",
        ),
    ),
    Role("guide_nurse", _("Guide nurse (导检护士)"), PATIENT_READ),
    Role("chief_examiner", _("Chief examiner (总检医生)"), PATIENT_READ),
    Role(
        "complaint_officer",
        _("Complaint office (医患办)"),
        (
            *PATIENT_READ,
            SEE_WHOLE_HOSPITAL,
            "patients.reveal_identifiers",
            "patients.view_registry_statistics",
        ),
    ),
    Role(
        "quality_officer",
        _("Quality office (质控/满意度)"),
        (
            *PATIENT_READ,
            SEE_WHOLE_HOSPITAL,
            "patients.view_registry_statistics",
            "patients.export_patients",
        ),
    ),
    Role(
        "dept_head",
        _("Department head (科主任/护士长)"),
        (
            *PATIENT_READ,
            "patients.view_registry_statistics",
            "patients.export_patients",
        ),
    ),
    # Leaders see aggregates only: no patient record is in their permissions.
    Role(
        "executive",
        _("Hospital leadership (院领导)"),
        (
            "core.view_department",
            SEE_WHOLE_HOSPITAL,
            "patients.view_registry_statistics",
        ),
    ),
    Role(
        "admin",
        _("System administrator (系统管理员)"),
        (
            *PATIENT_READ,
            SEE_WHOLE_HOSPITAL,
            "patients.add_patient",
            "patients.change_patient",
            "patients.merge_patient",
            "patients.add_encounter",
            "patients.change_encounter",
            "patients.view_patientaccesslog",
            "patients.view_dataqualityreport",
            "patients.export_patients",
            "patients.view_registry_statistics",
            "core.view_auditevent",
            "core.add_department",
            "core.change_department",
            "core.view_staff",
            "core.add_staff",
            "core.change_staff",
            "core.view_ward",
            "core.add_ward",
            "core.change_ward",
            "core.view_hospital",
            "auth.view_user",
            "auth.add_user",
            "auth.change_user",
        ),
        admin_site=True,
    ),
)
# Each app adds its permissions to the roles in a module of its own (``<app>/roles.py`` with
# ``PERMISSIONS = {"agent": ("frontdesk.add_inquiry", ...)}``), found through INSTALLED_APPS, so no two
# apps edit one table and core names no app above it.


def _role_modules() -> list[str]:
    from django.conf import settings

    return [
        f"{name}.roles"
        for name in settings.INSTALLED_APPS
        if name.startswith("carebridge.") and name != "carebridge.core"
    ]


def _with_app_permissions(base: tuple[Role, ...]) -> tuple[Role, ...]:
    extra: dict[str, list[str]] = {}
    for module_name in _role_modules():
        try:
            module = import_module(module_name)
        except ModuleNotFoundError:
            continue
        for role_name, permissions in module.PERMISSIONS.items():
            extra.setdefault(role_name, []).extend(permissions)
    return tuple(
        Role(
            role.name,
            role.label,
            tuple(dict.fromkeys((*role.permissions, *extra.get(role.name, ())))),
            role.admin_site,
        )
        for role in base
    )


ROLES: tuple[Role, ...] = _with_app_permissions(_BASE_ROLES)
ROLE_NAMES = tuple(role.name for role in ROLES)


def _start_pages() -> dict[str, tuple[str, str]]:
    pages: dict[str, tuple[str, str]] = {}
    for module_name in _role_modules():
        try:
            module = import_module(module_name)
        except ModuleNotFoundError:
            continue
        for role_name, page in getattr(module, "START_PAGES", {}).items():
            pages.setdefault(role_name, page)
    return pages


def start_page(user: Any) -> str | None:
    """The URL name of the page where the user's work starts (README, "Where each demo user starts").

    The first of the user's roles, in the order of ``ROLES``, whose app names a start page the user may
    open; ``None`` when none does (the registry's home is then the start).
    """
    names = role_names(user)
    pages = _start_pages()
    for role in ROLES:
        if role.name in names and role.name in pages:
            url_name, permission = pages[role.name]
            if user.has_perm(permission):
                return url_name
    return None


def role_labels(user: Any) -> list[str]:
    """The display labels of the user's roles, in the order of ``ROLES``."""
    names = role_names(user)
    return [str(role.label) for role in ROLES if role.name in names]


def role_names(user: Any) -> set[str]:
    """The names of the user's groups, by a statement compiled once per process (every page's header
    shows the roles: building the related manager's query cost more than running it, issue 18 item 2)."""
    from django.contrib.auth.models import Group
    from django.db import connections, router

    if user.pk is None:
        return set()
    alias = router.db_for_read(Group)
    with connections[alias].cursor() as cursor:
        cursor.execute(*_GROUP_NAMES.statement(using=alias, user=user.pk))
        return {name for (name,) in cursor.fetchall()}


def _group_names(*, user: int) -> Any:
    from django.contrib.auth.models import Group

    return Group.objects.filter(user=user).values_list("name").order_by()


_GROUP_NAMES = PreparedQuery(_group_names, stand_ins={"user": STAND_IN_ID})


def sync_roles(group_model: Any, permission_model: Any, roles: tuple[Role, ...] = ROLES) -> None:
    """Create the groups and set exactly the listed permissions (works on historical models too)."""
    for role in roles:
        group, _created = group_model.objects.get_or_create(name=role.name)
        permissions = []
        for dotted in role.permissions:
            app_label, codename = dotted.split(".", 1)
            permission = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                raise LookupError(f"Role {role.name}: permission {dotted} does not exist.")
            permissions.append(permission)
        group.permissions.set(permissions)


def grant_in_migration(apps: Any, permissions_by_role: dict[str, tuple[str, ...]]) -> None:
    """For an app's data migration: add its permissions to the existing role groups (never remove)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role_name, dotted in permissions_by_role.items():
        group, _created = group_model.objects.get_or_create(name=role_name)
        for item in dotted:
            app_label, codename = item.split(".", 1)
            group.permissions.add(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )
