"""The browser's date pickers (``core.forms.base.DateInput`` / ``DateTimeInput``): ISO values in every
language, so an ``<input type="date">`` shows the stored date and a form saved unchanged keeps it."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.utils import timezone, translation

from carebridge.core.forms.base import DateInput, DateTimeInput


class _Form(forms.Form):
    day = forms.DateField(widget=DateInput())
    moment = forms.DateTimeField(widget=DateTimeInput())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_pickers_render_and_read_iso_in_every_language(language):
    with translation.override(language), timezone.override("Asia/Shanghai"):
        moment = dt.datetime(2026, 12, 5, 0, 30, tzinfo=dt.UTC)  # 08:30 in Shanghai
        form = _Form(initial={"day": dt.date(2019, 3, 8), "moment": moment})
        assert 'type="date" name="day" value="2019-03-08"' in str(form["day"])
        assert 'type="datetime-local" name="moment" value="2026-12-05T08:30"' in str(form["moment"])
        # What the browser sends back is read as it was shown.
        bound = _Form({"day": "2019-03-08", "moment": "2026-12-05T08:30"})
        assert bound.is_valid(), bound.errors
        assert bound.cleaned_data["day"] == dt.date(2019, 3, 8)
        assert bound.cleaned_data["moment"] == moment


def test_djangos_own_widget_is_what_went_wrong():
    """The reason for the widgets: in zh-hans Django renders a date as 2019/03/08, which a date input
    drops as invalid (the field shows empty, and saving the form sends it empty)."""
    with translation.override("zh-hans"):
        plain = forms.DateInput(attrs={"type": "date"}).render("day", dt.date(2019, 3, 8))
    assert 'value="2019/03/08"' in plain
