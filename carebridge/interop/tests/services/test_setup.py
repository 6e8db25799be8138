"""An interface's account is a system account: it files messages, and no staff picker offers it as a
person (the demo's daily-sync attendee list showed ``his-interface`` beside the ward's doctors)."""

from __future__ import annotations

import pytest

from carebridge.core.choices import StaffKind
from carebridge.core.models import Staff
from carebridge.core.selectors.organisation import staff_list
from carebridge.core.tests.factories import make_persona
from carebridge.followup.forms.ward_programme import SyncForm

pytestmark = pytest.mark.django_db


def test_an_interface_account_is_a_system_account_no_picker_offers(his, hospital):
    account = his.account.staff
    assert account.kind == StaffKind.SYSTEM
    admin = make_persona("admin-picker", "admin", hospital)
    people = staff_list(user=admin)
    assert admin.staff in people and account not in people
    assert Staff.objects.filter(hospital=hospital, kind=StaffKind.SYSTEM).count() == 1
    attendees = SyncForm(user=admin).fields["attendees"].queryset
    assert admin.staff in attendees and account not in attendees
