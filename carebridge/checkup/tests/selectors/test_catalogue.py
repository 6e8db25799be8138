"""Reading the catalogue: search by code, LOINC, name; invisible outside the checkup roles."""

from __future__ import annotations

import pytest

from carebridge.checkup.selectors.catalogue import centre_departments, item_list, package_list

pytestmark = pytest.mark.django_db


def test_items_are_found_by_local_code_loinc_and_chinese_name(catalogue, staff_chen):
    by_code = [i.code for i in item_list(user=staff_chen, search="GLU")]
    assert by_code[0] == "GLU" and set(by_code) == {"GLU", "GLU2H", "UGLU"}  # the English names match too
    assert [i.code for i in item_list(user=staff_chen, search="14771-0")] == ["GLU"]
    assert {i.code for i in item_list(user=staff_chen, search="血糖")} == {"GLU", "GLU2H"}


def test_a_clinician_outside_the_centre_sees_no_item_and_no_package(catalogue, clinician_zhou):
    assert not item_list(user=clinician_zhou).exists()
    assert not package_list(user=clinician_zhou).exists()


def test_the_centre_is_the_department_with_rooms_in_the_users_scope(
    catalogue, centre, staff_chen, clinician_zhou
):
    assert list(centre_departments(user=staff_chen)) == [centre]
    assert list(centre_departments(user=clinician_zhou)) == []
