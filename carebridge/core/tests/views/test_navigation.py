"""The top navigation: pages in menus, each role sees only what it may open, the current page is marked."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_backends
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse, set_script_prefix
from django.utils import translation

from carebridge.core.navigation import MENUS, navigation_for
from carebridge.core.roles import ROLES

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _nav(html: str) -> str:
    return html[html.index("<nav") : html.index("</nav>")]


def test_every_entry_names_a_page_that_exists():
    for menu in MENUS:
        for entry in menu.entries:
            assert reverse(entry.url_name).startswith("/")


def test_the_agent_opens_the_service_desk_menu_and_reaches_no_cockpit(agent_ann):
    with translation.override("en"):
        menus = {
            str(menu.label): [str(link.label) for link in menu.links]
            for menu in navigation_for(agent_ann, "/")
        }
    assert menus["Service desk"][:2] == ["Workspace", "Knowledge base"]
    assert menus["Management"] == ["Standards and activities"]  # activities and training, not the cockpit
    assert "Checkup and results" not in menus


def test_the_executive_has_the_management_menu_and_the_statistics_not_the_complaint_list(executive_zhao):
    with translation.override("en"):
        menus = {
            str(menu.label): [str(link.label) for link in menu.links]
            for menu in navigation_for(executive_zhao, "/")
        }
    assert "Cockpit" in menus["Management"]
    desk = [label for name, labels in menus.items() for label in labels if "Complaint" in label]
    assert desk == ["Complaint statistics"]


def test_each_role_sees_the_entries_its_permission_checks_open(django_user_model):
    """The menus are worked out once per set of permissions: each role, a superuser and an inactive
    superuser see exactly the entries that asking ``has_perm`` entry by entry opens, at the URL of the
    page, the script prefix in front."""
    users = [
        django_user_model.objects.create_superuser("nav-root", password="x"),
        django_user_model.objects.create_user("nav-gone", password="x", is_superuser=True, is_active=False),
    ]
    for role in ROLES:
        user = django_user_model.objects.create_user(f"nav-{role.name}", password="x")
        user.groups.add(Group.objects.get(name=role.name))
        users.append(user)
    for created in users:
        user = django_user_model.objects.get(pk=created.pk)  # no permissions read yet
        expected = [
            [reverse(entry.url_name) for entry in menu.entries if _opens(user, entry)] for menu in MENUS
        ]
        shown = {str(menu.label): [link.url for link in menu.links] for menu in navigation_for(user, "/")}
        opened = {str(menu.label): urls for menu, urls in zip(MENUS, expected, strict=True) if urls}
        assert shown == opened, user.username
    assert len(navigation_for(users[0], "/")) == len(MENUS)  # the superuser: every menu
    assert navigation_for(users[1], "/") == []  # inactive: none
    set_script_prefix("/carebridge/")
    try:
        links = [link.url for menu in navigation_for(users[0], "/") for link in menu.links]
    finally:
        set_script_prefix("/")
    assert links and all(url.startswith("/carebridge/") for url in links)


def _opens(user, entry) -> bool:
    return any(user.has_perm(p) for p in entry.any_of) and not any(user.has_perm(p) for p in entry.unless)


def test_a_menu_with_one_page_is_a_plain_link_and_none_is_left_out(outsider, agent_ann):
    assert navigation_for(outsider, "/") == []
    for menu in navigation_for(agent_ann, "/"):
        if len(menu.links) == 1:
            assert menu.single is menu.links[0]
        else:
            assert menu.single is None


def test_the_page_marks_its_menu_and_entry_active_in_chinese(agent_ann):
    html = _nav(
        _client(agent_ann).get(reverse("knowledge:search"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    )
    assert 'class="nav-link dropdown-toggle active"' in html
    active = re.findall(
        r'<a class="dropdown-item active" href="([^"]+)" aria-current="page">([^<]+)</a>', html
    )
    assert active == [(reverse("knowledge:search"), "知识库")]
    assert "客服中心" in html  # the menu's label, not its English msgid


def test_every_login_backend_answers_a_permission_check_from_the_permissions_it_grants():
    """The menus are kept per set of permissions (``core.navigation._held``): right only while every
    backend's ``has_perm`` is membership in its ``get_all_permissions()``, as Django's ``ModelBackend``
    answers. A backend with a ``has_perm`` of its own (object permissions, a deny list) must change
    ``_held`` first."""
    for backend in get_backends():
        answer = getattr(type(backend), "has_perm", None)
        assert answer is None or answer is ModelBackend.has_perm, type(backend)
