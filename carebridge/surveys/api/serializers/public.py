"""Serializers of the public answering API (no login): the questionnaire, answers posted, results."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class PublicAnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(child=serializers.JSONField())
    page = serializers.IntegerField(min_value=0, max_value=100, default=0)
    language = serializers.ChoiceField(choices=[("zh-hans", "zh-hans"), ("en", "en")], default="zh-hans")


class PublicItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    type = serializers.CharField()
    text = serializers.CharField()
    answer_required = serializers.BooleanField()
    not_applicable_offered = serializers.BooleanField()
    choices = serializers.ListField(child=serializers.DictField())
    show_if = serializers.DictField(allow_null=True)


class PublicPageSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    items = PublicItemSerializer(many=True)


class PublicQuestionnaireSerializer(serializers.Serializer):
    title = serializers.CharField()
    intro = serializers.CharField()
    privacy = serializers.ListField(child=serializers.CharField())
    anonymous = serializers.BooleanField()
    language = serializers.CharField()
    pages = PublicPageSerializer(many=True)
    draft = serializers.DictField(child=serializers.JSONField())
    draft_page = serializers.IntegerField()


class PublicResultSerializer(serializers.Serializer):
    status = serializers.CharField()
    page = serializers.IntegerField(required=False)


class PublicRefusalSerializer(serializers.Serializer):
    reason = serializers.CharField()
    detail = serializers.CharField()


def errors_payload(message_dict: dict[str, Any]) -> dict[str, Any]:
    return {"errors": message_dict}
