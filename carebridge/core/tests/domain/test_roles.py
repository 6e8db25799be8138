"""The role groups (DESIGN §4) carry exactly the permissions of ``roles.ROLES``."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from carebridge.core import roles
from carebridge.core.roles import ROLES, Role, role_labels, sync_roles

pytestmark = pytest.mark.django_db


def _dotted(group: Group) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.name)
def test_the_migrated_group_has_exactly_the_listed_permissions(role):
    assert _dotted(Group.objects.get(name=role.name)) == set(role.permissions)


def test_migrations_create_one_group_per_role_and_no_other():
    assert set(Group.objects.values_list("name", flat=True)) == set(roles.ROLE_NAMES)
    assert len(roles.ROLE_NAMES) == 11  # DESIGN §4: nine roles, plus guide_nurse and chief_examiner (#11)


def test_the_executive_has_no_permission_on_patient_records():
    granted = _dotted(Group.objects.get(name="executive"))
    assert not {p for p in granted if p.startswith("patients.")} - {"patients.view_registry_statistics"}
    for record_permission in (
        "patients.view_patient",
        "patients.view_encounter",
        "patients.reveal_identifiers",
        "patients.export_patients",
        "patients.view_patientaccesslog",
    ):
        assert record_permission not in granted


def test_an_executive_user_cannot_read_patients(executive_zhao):
    assert not executive_zhao.has_perm("patients.view_patient")
    assert executive_zhao.has_perm("patients.view_registry_statistics")


def test_only_the_admin_may_merge_and_read_the_access_log():
    for role in ROLES:
        allowed = role.name == "admin"
        assert ("patients.merge_patient" in role.permissions) is allowed
        assert ("patients.view_patientaccesslog" in role.permissions) is allowed


def test_the_quality_office_cannot_reveal_identifiers(quality_officer_qian):
    assert not quality_officer_qian.has_perm("patients.reveal_identifiers")
    assert quality_officer_qian.has_perm("patients.view_patient")


def test_sync_roles_command_restores_the_table(capsys):
    agent = Group.objects.get(name="agent")
    agent.permissions.remove(Permission.objects.get(codename="reveal_identifiers"))
    agent.permissions.add(Permission.objects.get(codename="merge_patient"))
    Group.objects.get(name="executive").delete()

    call_command("sync_roles")

    assert _dotted(Group.objects.get(name="agent")) == set(ROLES[0].permissions)
    executive = next(role for role in ROLES if role.name == "executive")
    assert _dotted(Group.objects.get(name="executive")) == set(executive.permissions)
    assert "11 roles synchronised" in capsys.readouterr().out


def test_sync_roles_is_idempotent():
    before = {g.name: _dotted(g) for g in Group.objects.all()}
    sync_roles(Group, Permission)
    sync_roles(Group, Permission)
    assert {g.name: _dotted(g) for g in Group.objects.all()} == before


def test_sync_roles_refuses_an_unknown_permission_and_names_it():
    bogus = (Role("bogus", "Bogus", ("patients.fly_to_the_moon",)),)
    with pytest.raises(LookupError, match=r"patients\.fly_to_the_moon"):
        sync_roles(Group, Permission, bogus)


def test_role_labels_follow_the_table_order(hospital):
    from carebridge.core.tests.factories import make_persona

    user = make_persona("multi", "admin", hospital)
    user.groups.add(Group.objects.get(name="agent"))
    labels = role_labels(user)
    assert labels == [str(ROLES[0].label), str(ROLES[-1].label)]
