"""Forms from other packages: a package declaring a ``manualkit.forms`` entry point brings its own form.

The package's sources are kept in ``tests/plugin_package/``; pip installs it (offline, into a scratch
folder put on ``PYTHONPATH``) and every command sees its form beside the built-in ones. A broken
plug-in is one Chinese line naming its package, and the built-in forms stay.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from manualkit.toolkit.registry import all_forms

PACKAGE = Path(__file__).parent / "plugin_package"
TITLE = "门店陈列检查表"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Install the plug-in package into a scratch folder, as an organisation would install it with pip."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index",
                    "--target", str(target), str(PACKAGE)], check=True, capture_output=True)
    return target


def manualkit(site: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "manualkit", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8")


def test_an_installed_package_adds_its_form_to_every_command(site: Path, tmp_path: Path) -> None:
    listed = manualkit(site, "forms", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert any(line.split() == ["store-check", f"{TITLE}（§9.1）"] for line in listed.stdout.splitlines())
    assert all(spec.form_id in listed.stdout for spec in all_forms().values())  # the built-in ones stay
    assert listed.stderr == ""

    blank = manualkit(site, "blank", TITLE, "--format", "both", "-o", "空白", cwd=tmp_path)
    assert blank.returncode == 0, blank.stderr
    document = Document(str(tmp_path / "空白" / f"{TITLE}（空白）.docx"))
    assert TITLE in document.paragraphs[0].text
    assert load_workbook(tmp_path / "空白" / f"{TITLE}（空白）.xlsx")[TITLE]["A1"].value is not None

    record = json.loads((PACKAGE / "acme_forms/forms/store_check/sample.json").read_text(encoding="utf-8"))
    late = dict(record, customer_name="人民路烟酒", due_on="2026-11-09")  # due before it was filled in
    data = tmp_path / "检查.json"
    data.write_text(json.dumps([record, late], ensure_ascii=False), encoding="utf-8")
    filled = manualkit(site, "fill", "store-check", str(data), "--format", "xlsx", "-o", "填好", cwd=tmp_path)
    assert filled.returncode == 1  # the second record breaks the form's rule: listed, not written
    assert "要求完成日期" in filled.stdout + filled.stderr
    written = sorted((tmp_path / "填好").glob("*.xlsx"))
    assert [p.name for p in written] == [f"{TITLE}_张伟_红星食杂店_2026-11-10.xlsx"]

    sheet = load_workbook(written[0])
    sheet[TITLE]["B7"] = "2026-11-01"  # a person types an earlier due date into the filled sheet
    sheet.save(tmp_path / "提交.xlsx")
    checked = manualkit(site, "validate", "提交.xlsx", "--format", "json", cwd=tmp_path)
    assert checked.returncode == 1, checked.stderr
    issues = json.loads(checked.stdout)["files"][0]["errors"]
    assert [(i["cell"], i["code"], i["clause"]) for i in issues] == [("B7", "date_order", "§9.1")]

    handbook = manualkit(site, "handbook", "--format", "html", "-o", "手册", cwd=tmp_path)
    assert handbook.returncode == 0, handbook.stderr
    html = next((tmp_path / "手册").glob("*.html")).read_text(encoding="utf-8")
    assert f"{TITLE}的填写" in html  # its work-flow section, from the package's own folder
    assert "要求完成日期在填写之后" in html  # its rule, in its appendix


def test_the_web_page_offers_an_installed_packages_form(site: Path, tmp_path: Path) -> None:
    """``manualkit serve`` reads the same registry: the plug-in's form is listed, its blank downloads and opens."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    with subprocess.Popen([sys.executable, "-m", "manualkit", "serve", "--port", "0"], cwd=tmp_path, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8") as server:
        try:
            address = re.fullmatch(r"manualkit 网页已启动：(http://127\.0\.0\.1:\d+/)\n", server.stdout.readline())
            assert address, server.stderr.read()
            with urllib.request.urlopen(address.group(1) + "forms", timeout=30) as page:
                assert TITLE in page.read().decode("utf-8")
            with urllib.request.urlopen(address.group(1) + "fill", timeout=30) as page:
                assert 'value="store-check"' in page.read().decode("utf-8")
            with urllib.request.urlopen(address.group(1) + "forms/store-check/blank/xlsx", timeout=60) as blank:
                (tmp_path / "空白.xlsx").write_bytes(blank.read())
        finally:
            server.terminate()
            server.wait(20)
    assert load_workbook(tmp_path / "空白.xlsx")[TITLE]["A1"].value is not None


def fake_distribution(site: Path, name: str, entry: str, module: str | None = None) -> None:
    """Install a one-module distribution by hand: its metadata, entry point and (optionally) module source."""
    info = site / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[manualkit.forms]\n{entry}\n", encoding="utf-8")
    if module is not None:
        (site / f"{entry.partition(' = ')[2].partition(':')[0]}.py").write_text(module, encoding="utf-8")


@pytest.mark.parametrize(("entry", "module", "said"), [
    ("broken = broken_forms:Broken", "import no_such_module\n", "无法导入 broken_forms"),
    ("twin = twin_forms", "from manualkit.schemas.liaison_sheet import *  # noqa\n", "应恰好定义一个表单"),
    ("missing = missing_forms:Form", None, "无法导入 missing_forms"),
], ids=["import-error", "no-form-of-its-own", "module-missing"])
def test_a_broken_plugin_is_named_and_the_others_stay(
    site: Path, tmp_path: Path, entry: str, module: str | None, said: str
) -> None:
    broken = tmp_path / "site"
    name = entry.partition(" = ")[2].partition(":")[0]
    fake_distribution(broken, name.replace("_", "-"), entry, module)
    listed = _with(broken, site, "forms", cwd=tmp_path)
    assert listed.returncode == 0
    assert "Traceback" not in listed.stderr
    assert f"插件包 {name.replace('_', '-')}" in listed.stderr and said in listed.stderr, listed.stderr
    assert all(spec.form_id in listed.stdout for spec in all_forms().values())
    assert "store-check" in listed.stdout  # a good plug-in is not hidden by a broken one


def test_a_plugin_repeating_a_known_form_id_is_left_out(site: Path, tmp_path: Path) -> None:
    twin = tmp_path / "site"
    fake_distribution(twin, "acme-twin", "store-check = acme_forms.store_check:StoreCheck")
    listed = _with(twin, site, "forms", cwd=tmp_path)
    assert listed.returncode == 0
    assert "插件包 acme-twin" in listed.stderr and "表单编号 store-check 已被其他表单使用" in listed.stderr
    assert listed.stdout.count("store-check") == 1


def _with(extra: Path, site: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(extra), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "manualkit", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8")


def test_the_handbook_shows_a_plugin_installed_after_it_was_cached(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "缓存"
    env = {**os.environ, "MANUALKIT_CACHE_DIR": str(cache), "PATH": str(Path(sys.executable).parent)}
    without = subprocess.run([sys.executable, "-m", "manualkit", "handbook", "--format", "docx", "-o", "之前"],
                             cwd=tmp_path, env=env, capture_output=True, text=True, encoding="utf-8")
    assert without.returncode == 0, without.stderr
    assert len(list((cache / "handbook").iterdir())) == 1  # the built-in forms' handbook is kept
    env["PYTHONPATH"] = os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])
    for _ in range(2):  # a plug-in's form is not cached: its package's files are not ours to check
        made = subprocess.run([sys.executable, "-m", "manualkit", "handbook", "--format", "docx", "-o", "之后"],
                              cwd=tmp_path, env=env, capture_output=True, text=True, encoding="utf-8")
        assert made.returncode == 0, made.stderr
        assert TITLE in Document(str(next((tmp_path / "之后").glob("*.docx")))).element.body.xml
    assert len(list((cache / "handbook").iterdir())) == 1
