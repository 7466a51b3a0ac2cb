"""The Markdown-to-Word builder: fixtures (Markdown in, document text out) and build errors."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from _handbook_text import body_after_contents
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from markdown_it.utils import read_fixture_file

from manualkit.schemas._policy import DEFAULT_POLICY
from manualkit.toolkit.errors import HandbookError
from manualkit.toolkit.handbook.build import Cover, Handbook
from manualkit.toolkit.handbook.chapter_sources import Chapter, load_chapters
from manualkit.toolkit.handbook.docx_build import write_docx
from manualkit.toolkit.handbook.html_writer import chapters_html
from manualkit.toolkit.handbook.tree import markdown_parser, parse_chapters

FIXTURES = Path(__file__).parent / "fixtures"
COVER = Cover("测试手册", "测试单位", "第 1 版", dt.date(2026, 11, 23))


def docx_body(markdown: str, folder: Path) -> str:
    """Build ``markdown`` as a one-chapter handbook and return its body as text."""
    chapters = parse_chapters(markdown_parser(), [Chapter("fixture.md", markdown)])
    path = folder / "fixture.docx"
    write_docx(Handbook(COVER, chapters), path)
    return body_after_contents(path)


@pytest.mark.parametrize(
    ("line", "title", "markdown", "expected"),
    read_fixture_file(FIXTURES / "docx.md"),
    ids=[case[1] for case in read_fixture_file(FIXTURES / "docx.md")],
)
def test_docx_fixture(line: int, title: str, markdown: str, expected: str, tmp_path: Path) -> None:
    assert docx_body(markdown, tmp_path) == expected


@pytest.mark.parametrize(
    ("markdown", "line", "message"),
    [
        ("# 章\n\n```\ncode\n```\n", 3, "不支持的 Markdown 元素：代码块"),
        ("# 章\n\n正文\n\n![图](a.png)\n", 5, "图片"),
        ("# 章\n\n<div>x</div>\n", 3, "HTML 代码"),
        ("# 章\n\n正文<b>粗</b>\n", 3, "HTML 标签"),
        ("# 章\n\n---\n", 3, "分隔线"),
        ("# 章\n\n##### 太深\n", 3, "标题最多 4 级"),
        ("正文在前\n\n# 章\n", 1, "每章应以一级标题"),
        ("# 章\n\n见[别处](#nowhere)。\n", 3, "链接指向不存在的标题“#nowhere”"),
        ("# 章 {#a}\n\n## 节 {#a}\n", 3, "标题锚点“a”重复"),
    ],
)
def test_unsupported_markdown_names_file_and_line(markdown: str, line: int, message: str) -> None:
    with pytest.raises(HandbookError) as caught:
        parse_chapters(markdown_parser(), [Chapter("chapters/09-x.md", markdown)])
    assert f"chapters/09-x.md 第 {line} 行" in str(caught.value)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("# 章\n\n用{{ form('visit-schedule') }}。\n\n填{{ form('no-such-form') }}。\n", 5, "未知表单：no-such-form"),
        ("# 章\n\n\n{{ field('sign-in-book', 'arrived_at') }}{{ field('sign-in-book', 'colour') }}\n", 4,
         "表单“营销人员市场走访签到记录簿”没有字段“colour”"),
        ("# 章\n\n{{ policy.min_daily_visits }}\n{{ policy.max_daily_visits }}\n", 4, "未知的政策项“max_daily_visits”"),
        ("# 章\n\n{{ polcy.min_daily_visits }}\n", 3, "未知的占位符"),
        ("# 章\n\n{{ form( }}\n", 3, "占位符语法错误"),
        ("# 章\n\n每天{{ policy.min_daily_visits\n}}户\n", 3, "“{{”与“}}”应在同一行成对出现"),
        ("# 章\n\n{{ form('sign-in-book') | upper }}\n", 3, "占位符语法错误"),
    ],
)
def test_unknown_placeholder_names_file_and_line(tmp_path: Path, source: str, line: int, message: str) -> None:
    (tmp_path / "01-chapter.md").write_text(source, encoding="utf-8")
    with pytest.raises(HandbookError) as caught:
        load_chapters(tmp_path, DEFAULT_POLICY)
    assert f"01-chapter.md 第 {line} 行" in str(caught.value)
    assert message in str(caught.value)


def test_placeholders_render_titles_links_labels_and_numbers(tmp_path: Path) -> None:
    (tmp_path / "01-chapter.md").write_text(
        "# 章\n\n{{ form('sign-in-book') }}的" '{{field("sign-in-book","arrived_at")}}，'
        "每天{{ policy.min_daily_visits }}户，{{ policy.schedule_prepared_weekdays }}。\n",
        encoding="utf-8",
    )
    policy = DEFAULT_POLICY.model_copy(update={"min_daily_visits": 27, "schedule_prepared_weekdays": [5]})
    [chapter] = load_chapters(tmp_path, policy)
    assert chapter.markdown.splitlines()[2] == "[营销人员市场走访签到记录簿](#form-sign-in-book)的到达时间，每天27户，周五。"


def test_table_header_repeats_and_alignment_is_kept(tmp_path: Path) -> None:
    markdown = "# 表\n\n| 甲 | 乙 |\n|:---|---:|\n| 1 | 2 |\n| 3 | 4 |\n"
    chapters = parse_chapters(markdown_parser(), [Chapter("t.md", markdown)])
    write_docx(Handbook(COVER, chapters), tmp_path / "t.docx")
    table = Document(str(tmp_path / "t.docx")).tables[0]
    headers = [row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows]
    assert headers == [True, False, False]
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    assert [p.alignment for p in (table.cell(1, 0).paragraphs[0], table.cell(1, 1).paragraphs[0])] == [
        WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT]


@pytest.mark.parametrize(
    ("line", "title", "markdown", "expected"),
    read_fixture_file(FIXTURES / "html.md"),
    ids=[case[1] for case in read_fixture_file(FIXTURES / "html.md")],
)
def test_html_fixture(line: int, title: str, markdown: str, expected: str) -> None:
    [html] = chapters_html(parse_chapters(markdown_parser(), [Chapter("fixture.md", markdown)]))
    assert html == expected


def test_the_engine_loads_neither_click_nor_docxtpl() -> None:
    code = ("import sys, manualkit.toolkit.handbook.build, manualkit.toolkit.handbook.docx_build, manualkit.toolkit.handbook.html_writer; "
            "print(sorted({'click', 'docxtpl'} & set(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_broken_cover_file_names_file_line_and_column_in_chinese(tmp_path: Path) -> None:
    from manualkit.toolkit.handbook.build import read_handbook

    (tmp_path / "01-role.md").write_text("# 岗位\n\n正文。\n", encoding="utf-8")
    (tmp_path / "handbook.yaml").write_text("title: 手册\nedition: [第 2 版\n", encoding="utf-8")
    with pytest.raises(HandbookError) as caught:
        read_handbook(tmp_path, DEFAULT_POLICY, dt.date(2026, 11, 23))
    assert str(caught.value) == (f"{tmp_path / 'handbook.yaml'}：无法读取："
                                 "第 3 行第 1 列附近 YAML 格式有误（括号、引号、冒号或缩进不对）")


def test_a_cover_text_word_cannot_hold_is_refused_naming_the_file_and_key(tmp_path: Path) -> None:
    from manualkit.toolkit.handbook.build import read_handbook

    (tmp_path / "01-role.md").write_text("# 岗位\n\n正文。\n", encoding="utf-8")
    (tmp_path / "handbook.yaml").write_text('title: "手册\\a"\n', encoding="utf-8")  # YAML's escape for U+0007
    with pytest.raises(HandbookError) as caught:
        read_handbook(tmp_path, DEFAULT_POLICY, dt.date(2026, 11, 23))
    assert str(caught.value) == f"{tmp_path / 'handbook.yaml'}：title 含有 Word 文档不能保存的控制字符 U+0007"
