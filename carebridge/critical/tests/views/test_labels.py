"""Pages in zh-hans show labels, never choice values: the notification list shows the class's label
(A类…/B类…), not the letter alone."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from carebridge.checkup.tests.support.people import record

pytestmark = pytest.mark.django_db


def test_the_notification_list_shows_the_class_label_not_the_letter(client, settings, visit, staff_chen):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    record(visit, "HGB", "75", staff_chen)
    client.force_login(staff_chen)
    page = client.get(reverse("critical:list")).content.decode()
    assert "A类（危急：立即处置）" in page
    assert not re.search(r"<td>\s*A\s*</td>", page)
