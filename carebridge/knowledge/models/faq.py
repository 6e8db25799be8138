"""Frequently asked questions (常见问题) and the desk's answers."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.knowledge.choices import EntryKind, FaqCategory
from carebridge.knowledge.models.entries import VerifiedEntry


class Faq(VerifiedEntry):
    """A frequently asked question (常见问题) and the answer the desk gives."""

    kind = EntryKind.FAQ
    category = models.CharField(
        _("category"), max_length=16, choices=FaqCategory.choices, default=FaqCategory.OTHER
    )
    question = models.CharField(_("question"), max_length=255)
    answer = models.TextField(_("answer"))
    keywords = models.CharField(
        _("keywords"),
        max_length=255,
        blank=True,
        help_text=_("Extra words the question should be found by, separated by commas."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["category", "question"]
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")

    def __str__(self) -> str:
        return self.question

    @property
    def title(self) -> str:
        return self.question
