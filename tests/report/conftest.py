"""Fixtures of the monthly report tests: the synthetic month on disk, loaded and selected."""

from __future__ import annotations

from pathlib import Path

import pytest

from manualkit.schemas._policy import Policy
from manualkit.toolkit.report.inputs import LoadedInputs, load_submissions
from tests.report.month import MONTH, write_month, write_sales_csv

# The schedules plan a handful of visits a day; the daily minimum would only add noise here.
POLICY = Policy(min_daily_visits=0)


@pytest.fixture
def month_dir(tmp_path: Path) -> Path:
    """The month's submissions as JSON files."""
    return write_month(tmp_path / "month")


@pytest.fixture
def sales_csv(tmp_path: Path) -> Path:
    """The month's sales sheet as UTF-8 CSV with BOM."""
    return write_sales_csv(tmp_path / "sales.csv")


@pytest.fixture
def loaded(month_dir: Path) -> LoadedInputs:
    """The month's submissions, validated."""
    return load_submissions([month_dir], POLICY)


__all__ = ["MONTH", "POLICY"]
