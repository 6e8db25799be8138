"""The result-file upload form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 5 * 1024 * 1024


class ResultFileForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control form-control-sm", "accept": ".csv,.xlsx"}
        ),
    )
    valid_only = forms.BooleanField(
        label=_("Import the valid rows even if other rows have errors"), required=False
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload
