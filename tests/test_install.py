"""A plain (non-editable) install carries the forms folder and works from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from manualkit.toolkit.registry import all_forms

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


def test_wheel_installs_one_package_named_after_the_project(wheel: Path) -> None:
    """Nothing called ``toolkit`` or ``schemas`` lands in site-packages, where another project could own it."""
    tops = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"manualkit"}
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"manualkit/__main__.py", "manualkit/toolkit/__init__.py", "manualkit/schemas/_base.py"} <= names


def test_wheel_ships_templates_samples_and_handbook_sources(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for form in all_forms().values():
        assert f"manualkit/toolkit/_forms/{form.module}/sample.json" in names
    assert any(n.startswith("manualkit/toolkit/_forms/handbook/") and n.endswith(".md") for n in names)
    assert not any(n.startswith(("tests/", "forms/", "toolkit/", "schemas/")) for n in names)
    # the web page's templates, stylesheet and script: `manualkit serve` needs nothing from outside
    assert {"manualkit/toolkit/serve/templates/base.html", "manualkit/toolkit/serve/static/style.css",
            "manualkit/toolkit/serve/static/page.js"} <= names
    assert "manualkit/toolkit/handbook/frame.docx" in names  # the Word handbook's styles and page


def test_installed_commands_work_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target),
                    str(wheel)], check=True)
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("MANUALKIT_FORMS", None)
    where = subprocess.run([sys.executable, "-c", "import manualkit.toolkit.paths as p; print(p.forms_dir())"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()) == target / "manualkit" / "toolkit" / "_forms"
    forms = subprocess.run([sys.executable, "-m", "manualkit", "forms"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, check=True)
    assert "客户访问日程表" in forms.stdout
    schema = subprocess.run([sys.executable, "-m", "manualkit", "schema", "feedback-slip"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, check=True)
    assert '"title": "商品及服务质量信息反馈单"' in schema.stdout
    handbook = subprocess.run([sys.executable, "-m", "manualkit", "handbook", "--format", "docx", "-o", "手册"],
                              cwd=tmp_path, env={**env, "PATH": str(Path(sys.executable).parent)},  # no LibreOffice
                              capture_output=True, text=True, check=False)
    assert handbook.returncode == 0, handbook.stderr
    assert (tmp_path / "手册" / "客户经理岗位职责手册.docx").is_file()
