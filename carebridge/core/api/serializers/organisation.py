from __future__ import annotations

from rest_framework import serializers

from carebridge.core.models import Department


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class DepartmentOutputSerializer(serializers.ModelSerializer):
    hospital = serializers.CharField(source="hospital.code")
    # Declared fields shadow Field attributes only at class level; DRF's metaclass moves them away.
    parent = serializers.CharField(source="parent.code", default=None)  # type: ignore[assignment]

    class Meta:
        model = Department
        fields = ["id", "hospital", "code", "name", "name_en", "kind", "parent", "is_active"]
