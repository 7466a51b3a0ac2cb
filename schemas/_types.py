"""Field types shared by the forms, and what they accept from people.

Each type is an ``Annotated`` pydantic type whose ``BeforeValidator`` turns what
people type in Chinese offices (``2026年11月5日``, full-width digits, ``9点05``,
``√``) into the canonical value. What cannot be read is passed on unchanged, so
pydantic reports it with its own error type, which the toolkit translates.

The ``x-kind`` key in ``json_schema_extra`` tells renderers and the handbook how
to show a field (signature line, tick boxes, ...); it also lands in the JSON
Schema, where other systems may use it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

CHOICE_SEPARATORS = re.compile(r"[、,，;；/\n]+")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
# Seconds (9:05:00, as Excel shows a time typed as text) are allowed and dropped: forms keep HH:MM.
_TIME = re.compile(r"^(\d{1,2})\s*[:：点时]\s*(\d{1,2})?\s*(?:分\s*(?:[0-5]?\d\s*秒)?|[:：]\s*[0-5]?\d)?$")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_YES = {"是", "√", "✓", "✔", "y", "yes", "true", "1", "对"}
_NO = {"否", "×", "✗", "✘", "x", "n", "no", "false", "0", "不"}


def normalize(value: str) -> str:
    """Return ``value`` with full-width digits and punctuation folded, trimmed."""
    return unicodedata.normalize("NFKC", value).strip()


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _strip(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    return value


def _code(value: Any) -> Any:
    """Keep a code's digits: a number typed in a cell becomes its digit string."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return normalize(value) or None
    return value


def parse_date(value: Any) -> Any:
    """Return a ``date`` for the ways people write one, else ``value`` unchanged."""
    if isinstance(value, dt.datetime):  # a date cell holding a time too: the day, as for text "2026-11-05 10:00"
        return value.date()
    if not isinstance(value, str):
        return value
    text = normalize(value)
    if not text:
        return None
    if match := _DATE.match(text.split()[0]):
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            return value
    return value


def parse_time(value: Any) -> Any:
    """Return a ``time`` for ``9:05``, ``09:05``, ``9点05`` or an Excel time."""
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.timedelta):  # calamine reads a duration-formatted cell this way
        seconds = int(value.total_seconds()) % 86400
        return dt.time(seconds // 3600, seconds % 3600 // 60)
    if isinstance(value, float) and 0 <= value < 1:  # an Excel time as a day fraction
        minutes = round(value * 24 * 60)
        return dt.time(minutes // 60 % 24, minutes % 60)
    if not isinstance(value, str):
        return value
    text = normalize(value)
    if not text:
        return None
    if match := _TIME.match(text):
        hour, minute = int(match[1]), int(match[2] or 0)
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    return value


def parse_datetime(value: Any) -> Any:
    """Return a ``datetime`` for a date and time typed in one cell."""
    if isinstance(value, dt.datetime) or not isinstance(value, str):
        return value
    text = normalize(value)
    if not text:
        return None
    date_part, _, time_part = re.sub(r"\s+", " ", text).partition(" ")
    day, clock = parse_date(date_part), parse_time(time_part) if time_part else dt.time()
    if isinstance(day, dt.date) and isinstance(clock, dt.time):
        return dt.datetime.combine(day, clock)
    return value


def _local(value: Any) -> Any:
    """Reject a time that carries a time zone: pydantic's reading of a number as seconds since 1970.

    A number typed into a time or date-time cell (930, 46331.4) is no timestamp to a person,
    and Excel cannot store a time with a zone; the finding shows what was typed.
    """
    if value.tzinfo is not None:
        raise ValueError("not a local time")
    return value


def parse_month(value: Any) -> Any:
    """Return ``YYYY-MM`` for ``2026-11``, ``2026年11月``, ``2026/11`` or a date."""
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    if not isinstance(value, str):
        return value
    text = normalize(value)
    if not text:
        return None
    if (match := _MONTH.match(text)) and 1 <= int(match[2]) <= 12:
        return f"{int(match[1]):04d}-{int(match[2]):02d}"
    day = parse_date(text)
    return parse_month(day) if isinstance(day, dt.date) else value


def parse_yes_no(value: Any) -> Any:
    """Return a ``bool`` for 是/否, √/×, Y/N; other text is left for pydantic."""
    if isinstance(value, str):
        text = normalize(value).lower()
        if text in _YES:
            return True
        if text in _NO:
            return False
        return None if not text else value
    return value


def parse_number(value: Any) -> Any:
    """Fold full-width digits, thousands separators and a unit (￥1,234.50, 6,267条) in a typed number."""
    if isinstance(value, str):
        text = _UNITS.sub("", normalize(value).replace(",", "")).strip()
        return text or None
    return value


# A currency sign before a number, or its unit after it, as sales exports and people write them.
_UNITS = re.compile(r"^[¥$]|(?<=\d)\s*(?:元|条)$")


def split_choices(value: Any) -> Any:
    """Split ``新品推广、品牌促销`` (or any accepted separator) into a list."""
    if isinstance(value, str):
        return [part.strip() for part in CHOICE_SEPARATORS.split(value) if part.strip()]
    return value


def weekday_name(day: dt.date) -> str:
    """Return ``星期一`` ... ``星期日`` for ``day``."""
    return "星期" + "一二三四五六日"[day.weekday()]


def _kind(kind: str, **extra: Any) -> dict[str, Any]:
    return {"x-kind": kind, **extra}


Text = Annotated[str, BeforeValidator(_strip), StringConstraints(min_length=1)]
Code = Annotated[
    str,
    BeforeValidator(_code),
    StringConstraints(min_length=1),
    Field(json_schema_extra=_kind("code")),
]
Signature = Annotated[
    str, BeforeValidator(_strip), StringConstraints(min_length=1),
    Field(json_schema_extra=_kind("signature")),
]
Phone = Annotated[
    str,
    BeforeValidator(_code),
    StringConstraints(pattern=r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d{7,8})$"),
    Field(json_schema_extra=_kind("phone")),
]
Date = Annotated[dt.date, BeforeValidator(parse_date), Field(json_schema_extra=_kind("date"))]
Time = Annotated[
    dt.time, BeforeValidator(parse_time), AfterValidator(_local), Field(json_schema_extra=_kind("time"))
]
DateTime = Annotated[
    dt.datetime, BeforeValidator(parse_datetime), AfterValidator(_local), Field(json_schema_extra=_kind("datetime"))
]
Month = Annotated[
    str,
    BeforeValidator(parse_month),
    StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$"),
    Field(json_schema_extra=_kind("month")),
]
YesNo = Annotated[bool, BeforeValidator(parse_yes_no), Field(json_schema_extra=_kind("bool"))]
Count = Annotated[int, BeforeValidator(parse_number)]
Amount = Annotated[Decimal, BeforeValidator(parse_number)]
LongText = Annotated[
    str, BeforeValidator(_strip), StringConstraints(min_length=1),
    Field(json_schema_extra=_kind("longtext")),
]


# The customer's class (档位): one of the policy's ``customer_classes``. pydantic cannot know the
# policy, so the form's rule checks it (and the Excel drop-down lists the policy's classes).
CustomerClass = Annotated[
    str, BeforeValidator(_code), StringConstraints(min_length=1),
    Field(json_schema_extra=_kind("choice", **{"x-options": "customer_classes"})),
]

T = TypeVar("T")

# A choice (one of a list): ``Choice[Literal["上门", "电话"]]``.
Choice = Annotated[T, BeforeValidator(_code), Field(json_schema_extra=_kind("choice"))]
# Choices (any subset), typed in one cell separated by 、 or another accepted separator.
Choices = Annotated[
    list[T], BeforeValidator(split_choices), Field(json_schema_extra=_kind("choices"))
]

# Optional variants: a blank cell or empty string means "not given".
_Blank = BeforeValidator(_blank_to_none)
OptText = Annotated[Text | None, _Blank]
OptLongText = Annotated[LongText | None, _Blank]
OptCode = Annotated[Code | None, _Blank]
OptSignature = Annotated[Signature | None, _Blank]
OptPhone = Annotated[Phone | None, _Blank]
OptDate = Annotated[Date | None, _Blank]
OptCount = Annotated[Count | None, _Blank]
OptAmount = Annotated[Amount | None, _Blank]
