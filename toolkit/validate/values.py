"""Values as the JSON report and the annotated copy show them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any


def json_value(value: Any) -> Any:
    """Return ``value`` as JSON carries it: dates and times in ISO form, lists joined with 、."""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta | Decimal):
        return str(value)
    if isinstance(value, list):
        return "、".join(map(str, value))
    return value
