"""The blank, fill and demo commands: files, names, exit codes and Chinese messages."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from manualkit.toolkit.cli import cli
from manualkit.toolkit.registry import all_forms, get_form
from manualkit.toolkit.render.xlsx import render_xlsx
from tests.conftest import sample


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


def test_blank_all_writes_every_form_in_both_formats(tmp_path: Path) -> None:
    result = invoke("blank", "--all", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    titles = [form.title for form in all_forms().values()]
    assert files(tmp_path) == sorted(f"{t}（空白）.{ext}" for t in titles for ext in ("docx", "xlsx"))


def test_blank_one_form_by_chinese_title_in_one_format(tmp_path: Path) -> None:
    result = invoke("blank", "特殊访问记录", "--format", "xlsx", "-o", str(tmp_path))
    assert result.exit_code == 0
    assert files(tmp_path) == ["特殊访问记录（空白）.xlsx"]


def test_blank_names_a_form_twice_writes_it_once(tmp_path: Path) -> None:
    result = invoke("blank", "special-visit", "特殊访问记录", "--format", "xlsx", "-o", str(tmp_path))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [str(tmp_path / "特殊访问记录（空白）.xlsx")]
    assert f"已生成 1 个空白表单文件，位于 {tmp_path}" in result.stderr


def test_blank_without_a_form_is_wrong_usage(tmp_path: Path) -> None:
    result = invoke("blank", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "--all" in result.output


def test_fill_writes_one_file_per_record_named_for_people(tmp_path: Path) -> None:
    records = [sample("special-visit"), sample("special-visit") | {"customer_name": "和平烟酒商行"}]
    data = tmp_path / "visits.json"
    data.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    result = invoke("fill", "special-visit", str(data), "--format", "docx", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert files(tmp_path / "out") == [
        "特殊访问记录_张伟_和平烟酒商行_2026-11-04.docx", "特殊访问记录_张伟_红星食杂店_2026-11-04.docx",
    ]


def test_fill_gives_the_same_name_twice_a_number(tmp_path: Path) -> None:
    data = tmp_path / "twice.yaml"
    data.write_text(yaml.safe_dump([sample("feedback-slip")] * 2, allow_unicode=True), encoding="utf-8")
    result = invoke("fill", "feedback-slip", str(data), "--format", "xlsx", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert files(tmp_path / "out") == ["商品及服务质量信息反馈单_张伟_和平烟酒商行_2026-11-03.xlsx",
                                       "商品及服务质量信息反馈单_张伟_和平烟酒商行_2026-11-03_2.xlsx"]


def test_fill_reports_every_problem_and_still_writes_the_valid_records(tmp_path: Path) -> None:
    bad = sample("sign-in-book")
    bad["rows"][2]["left_at"] = "25:99"
    bad["manager"] = ""
    data = tmp_path / "books.json"
    data.write_text(json.dumps([sample("sign-in-book"), bad], ensure_ascii=False), encoding="utf-8")
    result = invoke("fill", "sign-in-book", str(data), "--format", "xlsx", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "错误：books.json 第 2 条：“客户经理”为必填项（依据：§4.1.4）" in result.output
    assert "错误：books.json 第 2 条：表格第 3 行：“离开时间”应为时间，如 09:05（填写的是“25:99”）（依据：§4.1.4）" in result.output
    assert "1 条有错误，未生成：books.json 第 2 条" in result.output
    assert files(tmp_path / "out") == ["营销人员市场走访签到记录簿_张伟_2026-11.xlsx"]


def test_fill_reads_an_xlsx_filled_in_our_template(tmp_path: Path) -> None:
    form = get_form("monthly-report")
    from manualkit.schemas._policy import DEFAULT_POLICY
    from manualkit.toolkit.records import check_record

    record = check_record(form, sample(form.form_id), DEFAULT_POLICY).record
    source = render_xlsx(form, record, tmp_path / "提交.xlsx")
    result = invoke("fill", "monthly-report", str(source), "--format", "docx", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert files(tmp_path / "out") == ["客户月度销售情况分析报告_张伟_2026-10.docx"]


def test_fill_names_the_cell_of_a_problem_in_an_xlsx(tmp_path: Path) -> None:
    form = get_form("sign-in-book")
    from openpyxl import load_workbook

    from manualkit.schemas._policy import DEFAULT_POLICY
    from manualkit.toolkit.records import check_record

    path = render_xlsx(form, check_record(form, sample(form.form_id), DEFAULT_POLICY).record, tmp_path / "b.xlsx")
    workbook = load_workbook(path)
    workbook[form.title]["C8"] = "下午"  # the first visit's 离开时间
    workbook.save(path)
    result = invoke("fill", "sign-in-book", str(path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "错误：b.xlsx：单元格 C8：“离开时间”应为时间" in result.output
    assert not (tmp_path / "out").exists() or files(tmp_path / "out") == []


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "不是有效的 JSON 文件：第 1 行第 2 列附近 JSON 格式有误"),
    ("[1, 2]", "应为一条记录（键值对）或记录的列表"),
])
def test_fill_reports_an_unreadable_data_file_by_name(tmp_path: Path, content: str, message: str) -> None:
    data = tmp_path / "坏.json"
    data.write_text(content, encoding="utf-8")
    result = invoke("fill", "feedback-slip", str(data), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert f"错误：坏.json：{message}" in result.output
    assert "Traceback" not in result.output


def test_pdf_without_libreoffice_is_a_clear_chinese_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    import manualkit.toolkit.office
    from manualkit.toolkit.cli import main

    monkeypatch.setattr(manualkit.toolkit.office, "find_soffice", lambda: None)
    with pytest.raises(SystemExit) as exit_info:
        main(["blank", "special-visit", "--format", "pdf", "-o", str(tmp_path)])
    assert exit_info.value.code == 1
    assert "错误：未找到 LibreOffice" in capsys.readouterr().err
    assert files(tmp_path) == []  # nothing half-made left behind


def test_control_characters_are_removed_with_a_warning(tmp_path: Path) -> None:
    data = tmp_path / "bell.json"
    data.write_text(json.dumps(sample("special-visit") | {"description": "有\u0007铃声"}, ensure_ascii=False),
                    encoding="utf-8")
    result = invoke("fill", "special-visit", str(data), "--format", "xlsx", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert "警告：bell.json：“情况描述”含有无法保存的控制字符（\\x07），已删除" in result.output


def test_a_failing_render_leaves_no_half_written_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from manualkit.toolkit.render import docx

    calls = []

    def fail_on_second(self, record):
        calls.append(record)
        if len(calls) == 2:
            raise docx.TemplateRenderError("模板出错")
        return original(self, record)

    original = docx.WordTemplate.render
    monkeypatch.setattr(docx.WordTemplate, "render", fail_on_second)
    data = tmp_path / "two.json"
    data.write_text(json.dumps([sample("special-visit"), sample("special-visit") | {"customer_name": "乙"}],
                               ensure_ascii=False), encoding="utf-8")
    result = invoke("fill", "special-visit", str(data), "--format", "docx", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1 and "two.json 第 2 条：未能写出文件：模板出错" in result.output
    assert files(tmp_path / "out") == ["特殊访问记录_张伟_红星食杂店_2026-11-04.docx"]  # the first, complete


def test_fill_accepts_yaml_keyed_by_chinese_labels_and_makes_names_safe(tmp_path: Path) -> None:
    form = get_form("feedback-slip")
    data = {form.model.label(key): value for key, value in sample(form.form_id).items()}
    data["客户名称"] = 'A/B:C*店?"'
    path = tmp_path / "标签.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = invoke("fill", "商品及服务质量信息反馈单", str(path), "--format", "xlsx", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert files(tmp_path / "out") == ["商品及服务质量信息反馈单_张伟_A_B_C_店__2026-11-03.xlsx"]


def test_fill_refuses_a_workbook_of_another_form(tmp_path: Path) -> None:
    source = render_xlsx(get_form("special-visit"), None, tmp_path / "其他表.xlsx")
    result = invoke("fill", "feedback-slip", str(source), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "错误：其他表.xlsx：这是“特殊访问记录”，不是“商品及服务质量信息反馈单”" in result.output


class _Terminal:
    """A stand-in for a terminal's stderr: says it is a tty and keeps what is written."""

    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        """Nothing buffered."""


def test_a_batch_shows_a_progress_bar_only_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from manualkit.toolkit.cli import _progress
    from manualkit.toolkit.render.filling import fill

    data = tmp_path / "many.json"
    data.write_text(json.dumps([sample("special-visit")] * 4, ensure_ascii=False), encoding="utf-8")
    quiet = invoke("fill", "special-visit", str(data), "--format", "xlsx", "-o", str(tmp_path / "a"))
    assert "生成表单" not in quiet.output
    terminal = _Terminal()
    monkeypatch.setattr(_progress.sys, "stderr", terminal)
    from manualkit.schemas._policy import DEFAULT_POLICY

    result = fill(get_form("special-visit"), [data], "xlsx", tmp_path / "b", DEFAULT_POLICY,
                  progress=lambda jobs, n: _progress.progress(jobs, n, "生成表单"))
    assert len(result.written) == 4
    assert "生成表单" in terminal.text


def test_fill_yaml_keeps_unquoted_codes_and_times_as_written(tmp_path: Path) -> None:
    # YAML 1.1 reads 0430100 as octal (143424) and 9:30 as base 60 (570); people write them unquoted.
    data = tmp_path / "签到.yaml"
    data.write_text(
        "客户经理: 张伟\n所辖区域: 芙蓉区\n月份: 2026-11\nrows:\n"
        "  - {走访日期: 2026-11-05, 到达时间: 9:30, 离开时间: 9:50, 客户编码: 0430100, 客户名称: 红星食杂店,\n"
        "     工作内容: 传递公司信息, 客户经理签名: 张伟, 客户签名确认: 刘红梅}\n",
        encoding="utf-8")
    result = invoke("fill", "sign-in-book", str(data), "--format", "xlsx", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    book = load_workbook(next((tmp_path / "out").glob("*.xlsx")))
    row = [cell.value for cell in book[get_form("sign-in-book").title][7]][:5]
    assert row[1:4] == [dt.time(9, 30), dt.time(9, 50), "0430100"]


# --templates: an organisation's own Word templates, checked before anything is written


def _edited_template(folder: Path, form_id: str, replace: dict[str, str]) -> Path:
    """Copy ``form_id``'s shipped template into ``folder/<form_id>/`` with some text replaced."""
    import zipfile

    source = get_form(form_id).template(".docx")
    target = folder / form_id / "template.docx"
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as edited:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "word/document.xml":
                text = data.decode()
                for old, new in replace.items():
                    text = text.replace(old, new)
                data = text.encode()
            edited.writestr(info, data)
    return target


def test_fill_uses_the_organisations_template(tmp_path: Path) -> None:
    _edited_template(tmp_path / "模板", "special-visit", {"情况描述": "情况说明（本单位）"})
    result = invoke("fill", "special-visit", str(get_form("special-visit").sample), "--format", "docx",
                    "--templates", str(tmp_path / "模板"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    from docx import Document

    (written,) = (tmp_path / "out").iterdir()
    assert "情况说明（本单位）" in "\n".join(c.text for t in Document(str(written)).tables for r in t.rows
                                          for c in r.cells)


def _main_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run the command line as a user does; return its error output (it must exit 1)."""
    from manualkit.toolkit.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    assert exit_info.value.code == 1
    return capsys.readouterr().err


def test_a_template_using_unknown_fields_is_refused_before_any_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edited_template(tmp_path / "模板", "sign-in-book", {"row.notes": "row.remark", "{{ manager }}": "{{ boss }}"})
    for args in (["fill", "sign-in-book", str(get_form("sign-in-book").sample)], ["blank", "sign-in-book"]):
        error = _main_error(capsys, *args, "--templates", str(tmp_path / "模板"), "-o", str(tmp_path / "out"))
        assert "使用了表单中没有的字段：boss、row.remark" in error
        assert not (tmp_path / "out").exists()


def test_a_templates_folder_named_after_no_form_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edited_template(tmp_path / "模板", "sign-in-book", {}).parent.rename(tmp_path / "模板" / "sign-in-bok")
    error = _main_error(capsys, "blank", "--all", "--templates", str(tmp_path / "模板"), "-o", str(tmp_path / "out"))
    assert "“sign-in-bok”不是表单" in error


def test_blank_policy_names_the_organisation_in_excel_and_word(tmp_path: Path) -> None:
    policy = tmp_path / "政策.yaml"
    policy.write_text("organisation_name: 某市烟草公司\nmin_daily_visits: 20\n", encoding="utf-8")
    result = invoke("blank", "visit-schedule", "--policy", str(policy), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(tmp_path / "客户访问日程表（空白）.xlsx").worksheets[0]
    assert sheet.oddHeader.left.text == "单位：某市烟草公司"
    assert sheet.print_area.endswith(f"${7 + 5 * 20}")  # a week of 20 visits a day, under the header row 7
