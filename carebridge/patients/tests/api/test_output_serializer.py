"""The patient output serializer's written-out ``to_representation`` says what DRF's generic walk over the
declared fields says (the OpenAPI schema is built from those fields)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework import serializers

from carebridge.patients.api.serializers.patients import PatientOutputSerializer
from carebridge.patients.models import Tag
from carebridge.patients.selectors.patients import patient_list_for_display
from carebridge.patients.tests.factories import PatientFactory, PhoneFactory

pytestmark = pytest.mark.django_db


def test_the_written_out_representation_equals_the_generic_one(hospital, registry, agent_ann):
    deceased = PatientFactory(hospital=hospital, region_id=None, birth_date=None, deceased_at=timezone.now())
    deceased.tags.add(Tag.objects.create(name="VIP"), Tag.objects.create(name="老年"))
    PhoneFactory(patient=deceased, number="13911110000", label="女儿", is_primary=False)
    rows = list(patient_list_for_display(user=agent_ann).prefetch_related("tags"))
    assert len(rows) == 4
    serializer = PatientOutputSerializer()
    for patient in rows:
        generic = serializers.ModelSerializer.to_representation(serializer, patient)
        assert serializer.to_representation(patient) == dict(generic)
