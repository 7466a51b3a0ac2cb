"""A plain (non-editable) install carries the forms folder and works from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    [built] = out.glob("manualkit-*.whl")
    return built


def test_wheel_ships_templates_samples_and_handbook_sources(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for module in ("visit_schedule", "special_visit", "sign_in_book", "feedback_slip", "monthly_report"):
        assert f"toolkit/_forms/{module}/sample.json" in names
    assert any(n.startswith("toolkit/_forms/handbook/") and n.endswith(".md") for n in names)
    assert not any(n.startswith(("tests/", "forms/")) for n in names)
    # the web page's templates, stylesheet and script: `manualkit serve` needs nothing from outside
    assert {"toolkit/serve/templates/base.html", "toolkit/serve/static/style.css",
            "toolkit/serve/static/page.js"} <= set(names)


def test_installed_commands_work_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target),
                    str(wheel)], check=True)
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("MANUALKIT_FORMS", None)
    where = subprocess.run([sys.executable, "-c", "import toolkit.paths as p; print(p.forms_dir())"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()) == target / "toolkit" / "_forms"
    forms = subprocess.run([sys.executable, "-m", "toolkit", "forms"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, check=True)
    assert "客户访问日程表" in forms.stdout
    schema = subprocess.run([sys.executable, "-m", "toolkit", "schema", "feedback-slip"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, check=True)
    assert '"title": "商品及服务质量信息反馈单"' in schema.stdout
