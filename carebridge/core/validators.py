"""Validators for Chinese identifiers: resident ID (GB 11643-1999), phone numbers, region codes."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.lib.text import half_width, is_digits
from carebridge.lib.timecheck import is_aware

#: The largest count an ``integer`` column holds on PostgreSQL. A plain serializer's or form's IntegerField
#: has no upper bound of its own (a ModelSerializer's and a ModelForm's take the column's range), and the
#: API fuzzing stage sent 67,963,666,342,217,735,208,960 leaflets of a health activity to the database.
COUNT_MAX = 2**31 - 1

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MOBILE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
# Area codes are 010, 02x or 0xxx without a second zero; a local number starts with 2–9.
_LANDLINE = re.compile(r"^0[1-9]\d{1,2}-?[2-9]\d{6,7}$", re.ASCII)
# The oldest birth date the registry accepts (the national ID check uses the same year).
EARLIEST_BIRTH_YEAR = 1880


def national_id_check_digit(first17: str) -> str:
    """The GB 11643 check character (ISO 7064 MOD 11-2) for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def normalise_national_id(value: str) -> str:
    return half_width(value).strip().upper()


def validate_national_id(value: str) -> None:
    """Reject anything that is not an 18-character resident ID with a valid date and check digit."""
    value = normalise_national_id(value)
    if len(value) != 18 or not is_digits(value[:17]) or not (is_digits(value[17]) or value[17] == "X"):
        raise ValidationError(
            _("A national ID has 17 digits followed by a digit or X (18 characters)."), code="id_format"
        )
    try:
        birth = national_id_birth_date(value)
    except ValueError:
        raise ValidationError(
            _("The birth date inside this national ID does not exist."), code="id_date"
        ) from None
    if birth > timezone.localdate() or birth.year < EARLIEST_BIRTH_YEAR:
        raise ValidationError(_("The birth date inside this national ID is not plausible."), code="id_date")
    if national_id_check_digit(value[:17]) != value[17]:
        raise ValidationError(
            _("The check digit of this national ID is wrong; please check the number for typing errors."),
            code="id_check_digit",
        )


def national_id_birth_date(value: str) -> dt.date:
    return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def national_id_sex(value: str) -> str:
    """``"M"`` or ``"F"`` from the 17th digit (odd for men)."""
    return "M" if int(value[16]) % 2 else "F"


def normalise_phone(value: str) -> str:
    cleaned = re.sub(r"[\s()]", "", half_width(value).strip())
    if cleaned.startswith("+86"):
        cleaned = cleaned[3:]
    return cleaned


def validate_phone(value: str) -> None:
    number = normalise_phone(value)
    digits = number.replace("-", "")
    if not (_MOBILE.match(number) or _LANDLINE.match(number)) or len(set(digits[1:])) == 1:
        raise ValidationError(
            _(
                "Enter an 11-digit mobile number (e.g. 13812345678) "
                "or a landline with area code (025-83001234)."
            ),
            code="phone_format",
        )


def validate_region_code(value: str) -> None:
    from carebridge.core.models import Region

    if not (len(value) == 6 and is_digits(value)):
        raise ValidationError(_("A region code has six digits (GB/T 2260)."), code="region_format")
    if not Region.objects.filter(code=value).exists():
        raise ValidationError(
            _("%(code)s is not a region code of GB/T 2260.") % {"code": value}, code="region_unknown"
        )


def require_aware(value: dt.datetime, *, field: str = "at") -> dt.datetime:
    """``value`` if it carries a time zone; otherwise a ``ValidationError`` on ``field`` (DESIGN §3: no
    naive datetimes). The one place services check this."""
    if not is_aware(value):
        raise ValidationError({field: [_("The time must carry a time zone.")]})
    return value
