"""The permission backend reads a user's permissions in one query (``core/auth_backends.py``) and gives
exactly the set Django's own ``ModelBackend`` gives: direct grants and those of the user's groups, all
of them for a superuser, none for an inactive user. ``ModelBackend`` still signs people in, so sessions
made before it keep working."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

from carebridge.core.auth_backends import PermissionsInOneRead

pytestmark = pytest.mark.django_db


def _fresh(user):
    return get_user_model().objects.get(pk=user.pk)  # no permission cache on the object


def test_one_read_gives_django_s_set_for_grants_groups_superusers_and_inactive_users(
    ward_manager_wang, django_assert_num_queries
):
    direct = Permission.objects.get(codename="view_comments")
    ward_manager_wang.user_permissions.add(direct)  # a grant of the user's own besides the role's group
    wang = _fresh(ward_manager_wang)
    with django_assert_num_queries(1):
        ours = PermissionsInOneRead().get_all_permissions(wang)
    assert ours == ModelBackend().get_all_permissions(_fresh(ward_manager_wang))
    assert "insights.view_comments" in ours and "surveys.analyse_surveys" in ours  # direct and group
    assert Group.objects.get(user=wang).permissions.count() > 0
    assert PermissionsInOneRead().get_all_permissions(wang) is ours  # read once per request

    wang.is_superuser = True
    wang.save()
    assert PermissionsInOneRead().get_all_permissions(_fresh(wang)) == {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }
    wang.is_superuser, wang.is_active = False, False
    wang.save()
    assert PermissionsInOneRead().get_all_permissions(_fresh(wang)) == set()
    assert not _fresh(wang).has_perm("surveys.analyse_surveys")


def test_a_refused_check_reads_once_and_sign_in_stays_model_backends(
    ward_manager_wang, django_assert_num_queries
):
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    wang = _fresh(ward_manager_wang)
    with django_assert_num_queries(1):  # ModelBackend, asked next, finds the set already read
        assert not wang.has_perm("core.hospital_wide_scope")
        assert wang.has_perm("surveys.analyse_surveys")
    wang.set_password("a-long-enough-password")
    wang.save()
    signed_in = authenticate(
        RequestFactory().post("/accounts/login/"), username=wang.username, password="a-long-enough-password"
    )
    # The path a session keeps: the one sessions made before this backend existed keep too.
    assert signed_in is not None and signed_in.backend == "django.contrib.auth.backends.ModelBackend"
