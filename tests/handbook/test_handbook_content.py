"""The built handbook: every chapter, form, field and policy number, and the links between them."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from _handbook_text import docx_lines
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from manualkit.schemas._policy import Policy
from manualkit.schemas._rules import FIELD_RULES, SEVERITY_WORDS
from manualkit.schemas._types import parse_date, parse_month, parse_time, parse_yes_no, split_choices
from manualkit.toolkit.catalogue import FORM_CLAUSE, NO_CLAUSE, clause_text
from manualkit.toolkit.cli import cli
from manualkit.toolkit.errors import CATALOGUE
from manualkit.toolkit.handbook.form_appendix import codes_chapter
from manualkit.toolkit.registry import CatalogueEntry, all_forms

FORMS = list(all_forms().values())
WRITTEN_CHAPTERS = ["岗位概述", "岗位职责", "工作流程", "行为规范", "市场经理的职责与审核"]
ALTERED_POLICY = """\
min_daily_visits: 37
min_monthly_visits_per_customer: 4
report_due_day: 9
report_due_postpone_holidays: false
special_visit_max_delay_days: 2
schedule_prepared_weekdays: [周五]
customer_classes: [甲, 乙, 丙, 丁]
promotion_eligible_classes: [甲, 乙]
min_daily_market_hours: 7.5
morning_meeting_time: "08:10"
visit_minimum_exceptions: {"4301000009": 5}
phone_change_days: 4
suspension_days: 12
organisation_name: 某市烟草专卖局（公司）营销部
"""
# (policy key, a sentence of the default handbook, the same sentence under ALTERED_POLICY)
POLICY_SENTENCES = [
    ("min_daily_visits", "每天走访的零售客户不少于30户", "每天走访的零售客户不少于37户"),
    ("min_monthly_visits_per_customer", "每一户客户每月至少上门走访2次", "每一户客户每月至少上门走访4次"),
    ("report_due_day", "报告须在每月5日前提交", "报告须在每月9日前提交"),
    ("report_due_postpone_holidays", "截止日遇周末或法定节假日顺延至其后的第一个工作日",
     "截止日遇周末或法定节假日不顺延"),
    ("special_visit_max_delay_days", "最迟不超过情况发生后1天", "最迟不超过情况发生后2天"),
    ("schedule_prepared_weekdays", "客户经理在每周的周六、周日，制订下一周的", "客户经理在每周的周五，制订下一周的"),
    ("promotion_eligible_classes", "推荐范围限于一级、二级、三级客户", "推荐范围限于甲、乙客户"),
    ("customer_classes", "| 客户档位 | 一级、二级、三级、四级、五级 |", "| 客户档位 | 甲、乙、丙、丁 |"),
    ("min_daily_market_hours", "从第一户到达到最后一户离开不少于 6 小时", "从第一户到达到最后一户离开不少于 7.5 小时"),
    ("min_daily_market_hours", "| 在市场走访 | 每天不少于 6 小时 |", "| 在市场走访 | 每天不少于 7.5 小时 |"),
    ("morning_meeting_time", "每个工作日 07:30 准时", "每个工作日 08:10 准时"),
    ("visit_minimum_exceptions", "按批准的次数（无）", "按批准的次数（4301000009：5 次）"),
    ("phone_change_days", "| 3 日内 |", "| 4 日内 |"),
    ("suspension_days", "| 10 天内 |", "| 12 天内 |"),
    ("organisation_name", "| 单位名称 | （未填） |", "| 单位名称 | 某市烟草专卖局（公司）营销部 |"),
    ("min_daily_visits", "有走访的每一天至少走访 30 户", "有走访的每一天至少走访 37 户"),
    ("report_due_day", "| 2026-04 | 2026-05-06（周三） |", "| 2026-04 | 2026-05-09（周六） |"),
]
# Each hand-written work flow of chapter 3 (its anchor) and the forms its section must link to (at least).
# A form's own section (``FormSchema.workflow``) is checked over every form that declares one.
WORKFLOW_FORMS = {
    "flow-visits": {"visit-schedule", "special-visit", "sign-in-book"},
    "flow-network": {"visit-schedule", "special-visit"},
    "flow-report": {"monthly-report", "special-visit", "feedback-slip"},
    "flow-complaints": {"feedback-slip"},
    "flow-unlicensed": {"special-visit"},
    "flow-satisfaction": {"feedback-slip", "monthly-report", "sign-in-book"},
}


def build(folder: Path, *options: str) -> dict[str, Path]:
    """Build the handbook through the command line; return its files by suffix."""
    result = CliRunner().invoke(cli, ["handbook", "-o", str(folder), *options])
    assert result.exit_code == 0, result.output
    return {path.suffix[1:]: path for path in folder.iterdir()}


@pytest.fixture(scope="module")
def handbook(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build(tmp_path_factory.mktemp("handbook"))


@pytest.fixture(scope="module")
def lines(handbook: dict[str, Path]) -> list[str]:
    return docx_lines(handbook["docx"])


@pytest.fixture(scope="module")
def html(handbook: dict[str, Path]) -> str:
    return handbook["html"].read_text(encoding="utf-8")


def headings(lines: list[str], level: int) -> list[str]:
    return [line.split("] ", 1)[1].split(" {#")[0] for line in lines if line.startswith(f"[Heading {level}]")]


def test_builds_both_formats_named_after_the_title(handbook: dict[str, Path]) -> None:
    assert sorted(path.name for path in handbook.values()) == ["客户经理岗位职责手册.docx", "客户经理岗位职责手册.html"]


def test_every_chapter_and_appendix_is_present(lines: list[str]) -> None:
    numbers = ["第一章", "第二章", "第三章", "第四章", "第五章", "第六章"]
    expected = [f"{n}\u3000{t}" for n, t in zip(numbers, [*WRITTEN_CHAPTERS, "期限与频次"], strict=True)]
    expected += [f"附录{chr(65 + i)}\u3000{spec.title}" for i, spec in enumerate(FORMS)]
    expected += [f"附录{chr(65 + len(FORMS))}\u3000填写格式与问题代码"]
    assert headings(lines, 1) == expected


def test_the_workflow_chapter_has_a_section_per_work_flow(lines: list[str]) -> None:
    sections = [h.split("\u3000", 1)[1] for h in headings(lines, 2) if h.startswith("3.")]
    own = [form.folder.joinpath(form.model.workflow.file).read_text(encoding="utf-8").splitlines()[0]
           for form in FORMS if form.model.workflow is not None]  # the forms' own sections follow, in form order
    assert sections == ["客户访问", "客户入网与退网", "月度销售分析", "商品质量投诉的处理与反馈",
                        "无证经营信息的报告", "客户满意度", *(line[3:].split(" {#")[0] for line in own)]


@pytest.mark.parametrize("spec", FORMS, ids=lambda s: s.form_id)
def test_each_form_appendix_has_its_fields_and_blank_layout(lines: list[str], spec) -> None:
    start = lines.index(next(line for line in lines if line.startswith("[Heading 1]") and spec.title in line))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("[Heading 1]")), len(lines))
    appendix = "\n".join(lines[start:end])
    assert spec.clause in appendix and spec.model.purpose in appendix
    field_rows = [line for line in lines[start:end] if line.startswith("| ")]
    model, row_model = spec.model, spec.model.row_model()
    for owner in filter(None, (model, row_model)):
        for name, info in owner.model_fields.items():
            if name != model.rows_field:
                assert any(row.startswith(f"| {info.title} | ") for row in field_rows), info.title
    if row_model is not None:  # the blank table's header row, in form order
        labels = [info.title for info in row_model.model_fields.values()]
        assert "| " + " | ".join(labels) + " |" in field_rows


def test_codes_appendix_lists_every_finding_code(lines: list[str]) -> None:
    for issue_type in CATALOGUE.values():
        assert f"| `{issue_type.code}` | {issue_type.title} | " in "\n".join(lines)


@pytest.mark.parametrize(("key", "default", "altered"), POLICY_SENTENCES, ids=[s[0] for s in POLICY_SENTENCES])
def test_every_policy_number_is_in_the_handbook(lines: list[str], key: str, default: str, altered: str) -> None:
    assert default in "\n".join(lines)


def test_every_policy_key_is_changed_by_the_altered_policy() -> None:
    assert {key for key, _, _ in POLICY_SENTENCES} == set(Policy.model_fields)
    assert set(yaml.safe_load(ALTERED_POLICY)) == set(Policy.model_fields)


@pytest.mark.parametrize("spec", FORMS, ids=lambda s: s.form_id)
def test_each_form_appendix_lists_every_rule_with_severity_and_clause(lines: list[str], spec) -> None:
    start = lines.index(next(line for line in lines if line.startswith("[Heading 1]") and spec.title in line))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("[Heading 1]")), len(lines))
    rows = [line for line in lines[start:end] if line.startswith("| ")]
    for rule in [*FIELD_RULES, *spec.model.catalogue()]:
        clause = rule.clause or spec.model.clause
        word = SEVERITY_WORDS[rule.severity]
        assert any(row.startswith(f"| {rule.title} | {word} | {clause}") and row.endswith(f"（代码 `{rule.code}`） |")
                   for row in rows), (spec.form_id, rule.title)


def test_the_handbook_does_not_claim_all_its_numbers_are_the_validators(lines: list[str]) -> None:
    assert "与表单校验使用的是同一份数据" not in "\n".join(lines)


def test_a_policy_file_changes_the_numbers(tmp_path: Path, lines: list[str]) -> None:
    (tmp_path / "policy.yaml").write_text(ALTERED_POLICY, encoding="utf-8")
    altered_lines = docx_lines(build(tmp_path / "out", "--policy", str(tmp_path / "policy.yaml"))["docx"])
    altered_text, default_text = "\n".join(altered_lines), "\n".join(lines)
    for _, default, altered in POLICY_SENTENCES:
        assert altered in altered_text and default not in altered_text
        assert altered not in default_text


def test_each_work_flow_links_to_its_forms_appendix(lines: list[str]) -> None:
    appendices = {line.split(" {#")[-1].rstrip("}") for line in lines if line.startswith("[Heading 1] 附录")}
    for anchor, forms in WORKFLOW_FORMS.items():
        linked = {target for target in _section_links(lines, anchor) if target.startswith("form_")}
        assert linked >= {f"form_{form_id.replace('-', '_')}" for form_id in forms}, anchor
        assert linked <= appendices


def test_a_form_brings_its_own_section_of_the_work_flows(lines: list[str]) -> None:
    chapters = [i for i, line in enumerate(lines) if line.startswith("[Heading 1]")]
    workflows = next(i for i in chapters if lines[i].endswith("{#workflows}"))
    end = chapters[chapters.index(workflows) + 1]
    declared = [form for form in all_forms().values() if form.model.workflow is not None]
    assert declared, "no form declares a section of the work flows"
    for form in declared:
        heading = form.folder.joinpath(form.model.workflow.file).read_text(encoding="utf-8").splitlines()[0]
        anchor = heading.split("{#")[1].rstrip("}")
        section = _section(lines, anchor)
        assert workflows < lines.index(section[0]) < end, form.form_id  # in chapter 3
        assert f"form_{form.form_id.replace('-', '_')}" in _section_links(lines, anchor), form.form_id


def test_every_internal_link_has_its_target(handbook: dict[str, Path], html: str) -> None:
    body = Document(str(handbook["docx"])).element.body
    bookmarks = {mark.get(qn("w:name")) for mark in body.iter(qn("w:bookmarkStart"))}
    anchors = {link.get(qn("w:anchor")) for link in body.iter(qn("w:hyperlink"))}
    assert anchors and anchors <= bookmarks
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    hrefs = set(re.findall(r'href="#([^"]+)"', html))
    assert hrefs and hrefs <= ids


def test_word_layout_a4_cover_contents_and_page_numbers(handbook: dict[str, Path], lines: list[str]) -> None:
    doc = Document(str(handbook["docx"]))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert lines[:4] == ["[Title] 客户经理岗位职责手册", "[Subtitle] 营销与客户服务部",
                         "[Subtitle] 版本 2026 年版（manualkit 0.1.0）", lines[3]]
    assert re.fullmatch(r"\[Subtitle\] \d{4}年\d{1,2}月\d{1,2}日", lines[3])
    instructions = "".join(node.text for node in doc.element.body.iter(qn("w:instrText")))
    assert "TOC \\o" in instructions
    footer = section.footer._element
    assert [field.get(qn("w:instr")) for field in footer.iter(qn("w:fldSimple"))] == ["PAGE"]
    assert section.left_margin > Cm(2)


def test_word_styles_name_an_east_asian_font_and_zh_cn(handbook: dict[str, Path]) -> None:
    doc = Document(str(handbook["docx"]))
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Table Text", "Table Heading"):
        rpr = doc.styles[name].element.rPr
        assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) in ("宋体", "黑体"), name
        assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN", name


def test_html_is_self_contained_with_navigation(html: str, lines: list[str]) -> None:
    assert not re.search(r"""(src|href)=["']?(https?:)?//|url\(|@import|<link\b""", html)
    assert '<meta name="viewport"' in html and "@media print" in html
    nav = html.split('<nav id="nav"', 1)[1].split("</nav>", 1)[0]
    for heading in headings(lines, 1):
        number, title = heading.split("\u3000", 1)
        assert f'<span class="number">{number}</span>{title}</a>' in nav


def _section(lines: list[str], anchor: str) -> list[str]:
    start = next(i for i, line in enumerate(lines) if line.endswith(f"{{#{anchor.replace('-', '_')}}}"))
    level = lines[start].split("]")[0]
    end = next(i for i in range(start + 1, len(lines))
               if lines[i].startswith("[Heading 1]") or lines[i].startswith(level + "]"))
    return lines[start:end]


def _section_links(lines: list[str], anchor: str) -> set[str]:
    return set(re.findall(r"\]\(#([^)]+)\)", "\n".join(_section(lines, anchor))))


def test_format_examples_are_read_by_the_validator(lines: list[str]) -> None:
    rows = {line.split(" | ")[0][2:]: line.split(" | ")[1] for line in lines if line.startswith("| ")}
    dates = re.findall(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?", rows["日期"])
    assert len(dates) == 4 and {parse_date(text) for text in dates} == {dt.date(2026, 11, 5)}
    times = re.findall(r"\d{1,2}[:点]\d{2}", rows["时间"])
    assert len(times) == 3 and {parse_time(text) for text in times} == {dt.time(9, 5)}
    months = re.findall(r"\d{4}(?:-|年)\d{1,2}月?", rows["年月"])
    assert len(months) == 2 and {parse_month(text) for text in months} == {"2026-11"}
    assert [parse_yes_no(text) for text in re.findall(r"[是否√×YN]", rows["是/否"])] == [True, False] * 3
    separators = re.findall(r"“(.)”", rows["多选"])
    assert len(separators) == 6 and all(split_choices(f"甲{s}乙") == ["甲", "乙"] for s in separators)


def test_the_written_chapters_type_no_number_of_their_own() -> None:
    """Every number of chapters 1–5 is a policy placeholder or a clause the manual numbers (第4.6.1条, §4.4)."""
    allowed = re.compile(r"第[\d.]+条|§[\d.]+(?: [a-f])?|\b\d+(?:\.\d+)+\b|^\s*\d+\.\s|^\|\s*[\d.]+\s*\|", re.M)
    sources = sorted((Path(__file__).parents[2] / "forms" / "handbook").glob("[0-9][0-9]-*.md"))
    assert len(sources) == len(WRITTEN_CHAPTERS)
    for source in sources:
        text = re.sub(r"\{\{.*?\}\}|\{#[^}]*\}|\]\(#[^)]*\)", "", source.read_text("utf-8"))
        for number, line in enumerate(text.splitlines(), 1):
            assert not re.search(r"\d", allowed.sub("", line)), f"{source.name}:{number}: {line}"


def test_the_market_managers_reviews_come_from_the_forms(lines: list[str]) -> None:
    section = "\n".join(_section(lines, "calendar-reviews"))
    reviewed = [form for form in all_forms().values() if form.model.review is not None]
    assert reviewed
    for form in reviewed:
        assert f"form_{form.form_id.replace('-', '_')}" in section and form.model.review.what in section, form.form_id
    assert "calendar_reviews" in "\n".join(_section(lines, "market-manager"))  # chapter 5 points to the table


def test_every_catalogue_rule_shows_its_clause_in_the_codes_appendix() -> None:
    """Rules across forms belong to no form's appendix: the codes appendix is where their clause is printed."""
    rows = {line.split("|")[1].strip(" `"): [cell.strip() for cell in line.split("|")[1:-1]]
            for line in codes_chapter().markdown.splitlines() if line.startswith("| `")}
    assert set(rows) == set(CATALOGUE)
    for code, rule in CATALOGUE.items():
        assert rows[code][3] == clause_text(CatalogueEntry(None, rule)).replace("|", "\\|"), code
    assert rows["pattern_mismatch"][3] == FORM_CLAUSE and rows["unreadable_file"][3] == NO_CLAUSE
