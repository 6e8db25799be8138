"""The AHP editor's form (层次分析法): the judgements above the diagonal of a comparison matrix."""

from __future__ import annotations

from typing import Any

from django import forms

from carebridge.insights.domain.analysis.ahp import SAATY_VALUES, saaty

SAATY_CHOICES = [(f"{v:.6f}", saaty(v)) for v in SAATY_VALUES]


class AhpForm(forms.Form):
    """The judgements above the diagonal of an n×n comparison matrix, on Saaty's 1/9 … 9 scale."""

    def __init__(self, data: Any = None, *, labels: list[tuple[str, str]]) -> None:
        super().__init__(data)
        self.labels = labels
        for i in range(len(labels)):
            for j in range(i + 1, len(labels)):
                self.fields[f"a_{i}_{j}"] = forms.TypedChoiceField(
                    label=f"{labels[i][1]} : {labels[j][1]}",
                    choices=SAATY_CHOICES,
                    coerce=float,
                    initial=f"{1:.6f}",
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                )

    def upper(self) -> dict[tuple[int, int], float]:
        return {
            (i, j): self.cleaned_data[f"a_{i}_{j}"]
            for i in range(len(self.labels))
            for j in range(i + 1, len(self.labels))
        }

    def rows(self) -> list[list[Any]]:
        """The matrix for the template: bound fields above the diagonal, None on and below it."""
        n = len(self.labels)
        return [[self[f"a_{i}_{j}"] if j > i else None for j in range(n)] for i in range(n)]
