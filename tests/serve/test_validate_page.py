"""The 校验 page: uploads of hundreds of files, the limits, safe names, the same report as the CLI."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from openpyxl import load_workbook
from starlette.testclient import TestClient

from manualkit.toolkit.registry import get_form
from manualkit.toolkit.serve import create_app
from manualkit.toolkit.serve.uploads import Limits
from manualkit.toolkit.validate.annotate import SUMMARY_SHEET
from tests.conftest import sample
from tests.filled_workbooks import write_form
from tests.serve.conftest import downloads, finish, folder_files, inbox_summary, upload

SLIP = get_form("feedback-slip")


def test_result_page_has_summary_and_every_finding_at_its_cell(client: TestClient, demo_inbox: Path) -> None:
    page = upload(client, "/validate", folder_files(demo_inbox)).text
    assert inbox_summary() in page
    summary = re.search(r'<table class="list summary">(.*?)</table>', page, re.S).group(1)
    assert "<th>文件</th><th>表单</th><th>客户经理</th><th>结果</th>" in summary
    assert re.search(r"提交的表格/特殊访问记录_张伟_兴旺副食_2026-11-04.xlsx</a></td>\s*<td>特殊访问记录</td><td>张伟</td>",
                     summary)
    assert "提交的表格/二组/坏文件.xlsx" in summary and "无法读取" in summary
    row = re.search(r"<tr class=\"error\">((?:(?!</tr>).)*?B8(?:(?!</tr>).)*?)</tr>", page, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[:5] == ["错误", "特殊访问记录", "B8", "联系电话", "1380731123"]
    assert "pattern_mismatch" in cells[5]
    assert cells[6] == get_form("special-visit").model.clause_of("phone")  # the clause the finding cites
    assert "missed_visit" in page  # the month is one manager's: the rules across forms ran
    assert "2 个文件没有校验" in page and "说明.txt" in page and "~$客户访问日程表.xlsx" in page


def test_json_download_equals_the_cli_on_the_same_files(client: TestClient, demo_inbox: Path) -> None:
    page = upload(client, "/validate", folder_files(demo_inbox))
    served = json.loads(client.get(downloads(page)["校验报告.json"]).content)
    cli = subprocess.run([sys.executable, "-m", "manualkit", "validate", demo_inbox.name, "--format", "json"],
                         cwd=demo_inbox.parent, capture_output=True, text=True, encoding="utf-8", check=False)
    assert cli.returncode == 1, cli.stderr
    assert served == json.loads(cli.stdout)


def test_annotated_copies_come_as_one_zip(client: TestClient, demo_inbox: Path) -> None:
    page = upload(client, "/validate", folder_files(demo_inbox))
    archive = zipfile.ZipFile(io.BytesIO(client.get(downloads(page)["批注副本.zip"]).content))
    assert sorted(archive.namelist()) == ["商品及服务质量信息反馈单_张伟_建设路小卖部_2026-11-18_批注.xlsx",
                                          "特殊访问记录_张伟_兴旺副食_2026-11-04_批注.xlsx"]
    book = load_workbook(io.BytesIO(archive.read("特殊访问记录_张伟_兴旺副食_2026-11-04_批注.xlsx")))
    assert book.sheetnames[0] == SUMMARY_SHEET
    assert "联系电话" in book["特殊访问记录"]["B8"].comment.text or book["特殊访问记录"]["B8"].comment is not None


def test_copies_in_the_zip_keep_the_folders_they_had_below_the_folder_picked(client: TestClient, tmp_path: Path) -> None:
    """Two managers' slips of the same name: each copy is in its manager's folder, as ``validate --annotate`` does."""
    broken = sample("feedback-slip")
    broken["customer_code"] = "编码!"
    invalid = write_form(SLIP, broken, tmp_path / "invalid.xlsx").read_bytes()
    files = [("files", (name, invalid)) for name in ("全省/张伟/反馈单.xlsx", "全省/李娜/反馈单.xlsx", "全省/反馈单.xlsx")]
    page = upload(client, "/validate", files)
    archive = zipfile.ZipFile(io.BytesIO(client.get(downloads(page)["批注副本.zip"]).content))
    assert sorted(archive.namelist()) == ["反馈单_批注.xlsx", "张伟/反馈单_批注.xlsx", "李娜/反馈单_批注.xlsx"]
    assert SUMMARY_SHEET in load_workbook(io.BytesIO(archive.read("李娜/反馈单_批注.xlsx"))).sheetnames


def test_twelve_hundred_files_upload_and_each_is_in_the_report(client: TestClient, tmp_path: Path) -> None:
    valid = write_form(SLIP, sample("feedback-slip"), tmp_path / "valid.xlsx").read_bytes()
    broken = sample("feedback-slip")
    broken["customer_code"] = "编码!"
    invalid = write_form(SLIP, broken, tmp_path / "invalid.xlsx").read_bytes()
    names = [f"回收/第{n // 100}组/反馈单-{n:04d}.xlsx" for n in range(1200)]
    files = [("files", (name, invalid if n % 300 == 7 else valid)) for n, name in enumerate(names)]
    page = upload(client, "/validate", files)
    assert "共 1200 个文件：有效 1196 个，无效 4 个" in page.text
    report = json.loads(client.get(downloads(page)["校验报告.json"]).content)
    assert sorted(entry["path"] for entry in report["files"]) == sorted(names)
    assert [entry["path"] for entry in report["files"] if not entry["valid"]] == [names[n] for n in (7, 307, 607, 907)]


def test_a_name_with_dots_and_slashes_stays_inside_the_temporary_folder(
        client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    uploads = tmp_path / "uploads" / "deep"
    uploads.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(uploads))
    content = write_form(SLIP, sample("feedback-slip"), tmp_path / "slip.xlsx").read_bytes()
    names = ["../../x.xlsx", "..\\..\\y.xlsx", "/etc/z.xlsx", "..", "a/../../../w.xlsx"]
    page = upload(client, "/validate", [("files", (name, content)) for name in names])
    assert "共 4 个文件：有效 4 个" in page.text  # ".." is no spreadsheet: saved as 未命名, listed as not checked
    assert "../../x.xlsx" in page.text  # shown as the browser sent it
    assert not list(tmp_path.rglob("x.xlsx")) and not (tmp_path / "uploads" / "x.xlsx").exists()
    assert list(uploads.iterdir()) == []  # the request's folder is gone once the answer is ready
    report = json.loads(client.get(downloads(page)["校验报告.json"]).content)
    assert sorted(entry["path"] for entry in report["files"]) == [
        "../../x.xlsx", "../../y.xlsx", "/etc/z.xlsx", "a/../../../w.xlsx"]


def test_saved_names_are_basenames() -> None:
    from manualkit.toolkit.serve.uploads import safe_basename

    assert safe_basename("../../x.xlsx") == "x.xlsx"
    assert safe_basename("..\\..\\报表.xlsx") == "报表.xlsx"
    assert safe_basename("..") == "未命名"
    assert safe_basename("con.xlsx") == "_con.xlsx"


@pytest.fixture
def small(small_limits: Limits) -> TestClient:
    return TestClient(create_app(limits=small_limits))


def test_too_many_files_get_the_message(small: TestClient) -> None:
    page = small.post("/validate", files=[("files", (f"{n}.xlsx", b"x")) for n in range(6)])
    assert page.status_code == 400
    assert "一次最多上传 5 个文件，这次的文件更多。请分几次上传。" in page.text


def test_a_file_over_the_size_limit_gets_the_message(small: TestClient) -> None:
    page = small.post("/validate", files=[("files", ("大.xlsx", b"x" * 2500)), ("files", ("小.xlsx", b"x"))])
    assert page.status_code == 400
    assert "“大.xlsx”（2 KB）超过了每个文件 2 KB 的上限" in page.text


def test_an_upload_over_the_total_gets_the_message(small: TestClient) -> None:
    page = small.post("/validate", files=[("files", (f"{n}.xlsx", b"x" * 1900)) for n in range(4)])
    assert page.status_code == 400
    assert "超过了一次 6 KB 的上限。请分几次上传。" in page.text


def test_a_body_longer_than_it_says_is_stopped_at_the_limit(small_limits: Limits) -> None:
    from starlette.datastructures import Headers

    from manualkit.toolkit.serve.uploads import UploadError, receive

    class Request:  # the parts of a request receive() uses, with a body that never says its length
        headers = Headers({"content-type": "multipart/form-data; boundary=b"})

        def __init__(self) -> None:
            self.sent = 0

        async def receive(self) -> dict[str, object]:
            self.sent += 1
            head = b'--b\r\nContent-Disposition: form-data; name="files"; filename="a.xlsx"\r\n\r\n'
            return {"type": "http.request", "body": head if self.sent == 1 else b"x" * 1000, "more_body": self.sent < 20}

    from concurrent.futures import ThreadPoolExecutor

    import anyio

    request = Request()
    with ThreadPoolExecutor(1) as thread, pytest.raises(UploadError, match="超过 6 KB，超过了一次 6 KB 的上限"):
        # a thread of its own: Playwright's loop may already run in this one
        thread.submit(anyio.run, receive, request, small_limits, Path(tempfile.gettempdir())).result()
    assert request.sent == 20  # read to its end, so that the browser is still there for the message


def test_nothing_chosen_and_no_spreadsheet_are_said_plainly(client: TestClient) -> None:
    page = client.post("/validate", data={"x": "1"}, files=[("files", ("", b""))])
    assert page.status_code == 400 and "请先选择要校验的表格文件或文件夹" in page.text
    page = upload(client, "/validate", [("files", ("说明.txt", b"text"))])
    assert "上传的 1 个文件中没有可校验的 Excel 表格（.xlsx）" in page.text
    assert "manualkit-serve" not in page.text


def test_two_uploads_never_mix(client: TestClient, tmp_path: Path) -> None:
    first = write_form(SLIP, sample("feedback-slip"), tmp_path / "a.xlsx").read_bytes()
    one = client.post("/validate", files=[("files", ("甲/a.xlsx", first))], follow_redirects=False)
    two = client.post("/validate", files=[("files", ("乙/b.xlsx", first)), ("files", ("乙/c.xlsx", first))],
                      follow_redirects=False)
    assert one.headers["location"] != two.headers["location"]
    first_page, second_page = finish(client, one).text, finish(client, two).text
    assert "甲/a.xlsx" in first_page and "乙/" not in first_page
    assert "乙/b.xlsx" in second_page and "乙/c.xlsx" in second_page and "甲/" not in second_page
    assert client.get("/jobs/not-a-job").status_code == 404


def test_the_temporary_folder_is_removed_even_when_the_job_fails(
        client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("manualkit.toolkit.validate.validate_paths", explode)
    page = upload(client, "/validate", [("files", ("a.xlsx", b"x"))])
    assert "处理时出错：RuntimeError: boom" in page.text
    assert [p for p in tmp_path.iterdir() if p.name.startswith("manualkit-serve-")] == []
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_progress_is_shown_while_the_files_are_checked(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from manualkit.toolkit.validate import BatchReport, FileReport

    halfway, release = threading.Event(), threading.Event()

    def slow(paths: list[Path], policy: object, progress: object) -> BatchReport:
        files = sorted(p for p in paths[0].rglob("*.xlsx"))

        def reports() -> object:
            for number, path in enumerate(files):
                if number == 1:
                    halfway.set()
                    release.wait(30)
                yield FileReport(path, None, [])

        return BatchReport(list(progress(reports(), len(files))))

    monkeypatch.setattr("manualkit.toolkit.validate.validate_paths", slow)
    answer = client.post("/validate", files=[("files", (f"{n}.xlsx", b"x")) for n in range(3)], follow_redirects=False)
    assert halfway.wait(30)
    running = client.get(answer.headers["location"]).text
    assert client.get("/forms").status_code == 200  # the page answers while the job works
    release.set()
    assert '<meta http-equiv="refresh" content="1">' in running
    assert "正在校验</strong>：已完成 1 / 3 个" in running
    assert '<progress max="3" value="1">' in running
    assert "共 3 个文件" in finish(client, answer).text


def test_findings_show_before_the_annotated_copies_are_made(
        client: TestClient, demo_inbox: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from manualkit.toolkit.validate import annotate

    started, release = threading.Event(), threading.Event()
    real = annotate.annotate_all

    def slow(*args: Any, **kwargs: Any) -> object:
        started.set()
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(annotate, "annotate_all", slow)
    answer = client.post("/validate", files=folder_files(demo_inbox), follow_redirects=False)
    assert started.wait(60)
    page = client.get(answer.headers["location"])
    assert inbox_summary() in page.text and "生成完毕即开始下载" in page.text
    assert 'http-equiv="refresh"' not in page.text
    with ThreadPoolExecutor(1) as thread:
        download = thread.submit(client.get, downloads(page)["批注副本.zip"])  # waits for the copies
        release.set()
        names = zipfile.ZipFile(io.BytesIO(download.result(60).content)).namelist()
    assert len(names) == 2
    assert "已为 2 个无效文件生成批注副本" in client.get(answer.headers["location"]).text


def test_a_form_posted_from_another_web_site_is_refused(client: TestClient) -> None:
    files = [("files", ("a.xlsx", b"x"))]
    page = client.post("/validate", files=files, headers={"Origin": "https://evil.example"})
    assert page.status_code == 403 and "不接受其他网站提交的文件" in page.text
    own = client.post("/validate", files=files, headers={"Origin": "http://testserver"}, follow_redirects=False)
    assert own.status_code == 303


def test_a_failure_while_annotating_keeps_the_findings_on_the_page(
        client: TestClient, demo_inbox: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("manualkit.toolkit.validate.annotate.annotate_all", full_disk)
    page = upload(client, "/validate", folder_files(demo_inbox))
    for _ in range(600):  # the findings show before the annotated copies are made: wait for their failure
        if "磁盘空间不足" in page.text:
            break
        time.sleep(0.1)
        page = client.get(page.url)
    assert "磁盘空间不足" in page.text
    assert inbox_summary() in page.text
    assert list(downloads(page)) == ["校验报告.json"]
    failed = client.get(f"{page.url.path}/files/{quote('批注副本.zip')}")
    assert failed.status_code == 500 and "磁盘空间不足" in failed.text


@pytest.mark.parametrize("counts", [[], [0, 0], [3], [4, 4, 4], [1, 2, 3, 9, 0, 4, 4, 1], [13, 1, 12, 2]])
def test_findings_pages_hold_every_finding_once_in_order_and_cut_only_what_cannot_fit(counts: list[int]) -> None:
    from manualkit.toolkit.serve.work import findings_pages

    pages = findings_pages(counts, 4)
    assert all(sum(stop - start for _, start, stop in page) <= 4 for page in pages)
    parts = [part for page in pages for part in page]
    shown = [(number, finding) for number, start, stop in parts for finding in range(start, stop)]
    assert shown == [(number, finding) for number, count in enumerate(counts) for finding in range(count)]
    pages_of = {number: {index for index, page in enumerate(pages) for part in page if part[0] == number}
                for number, count in enumerate(counts) if count}
    assert all(len(pages_of[number]) == 1 for number, count in enumerate(counts) if 0 < count <= 4)
    assert all(page for page in pages) or pages == [[]]


def _finding_rows(page: str) -> list[tuple[str, str, str]]:
    """Return (file, cell, code) for each row of the findings tables on a result page."""
    rows = []
    for section in re.findall(r'<section class="file-findings".*?</section>', page, re.S):
        name = re.sub(r"<[^>]+>.*", "", re.search(r"<h3>(.*?)</h3>", section, re.S).group(1)).strip()
        for row in re.findall(r'<tr class="(?:error|warning)">(.*?)</tr>', section, re.S):
            cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            rows.append((name, cells[2], re.search(r"<code>(\w+)</code>", row).group(1)))
    return rows


def test_a_batch_with_many_findings_shows_them_a_page_at_a_time_and_each_page_has_its_own(
        client: TestClient, demo_inbox: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from manualkit.toolkit.serve import work

    monkeypatch.setattr(work, "FINDINGS_PER_PAGE", 3)
    first = upload(client, "/validate", folder_files(demo_inbox))
    report = json.loads(client.get(downloads(first)["校验报告.json"]).content)
    expected = sorted((entry["path"], issue["cell"] or (f"第{issue['row']}行" if issue["row"] else ""), issue["code"])
                      for entry in report["files"] for issue in entry["errors"])
    assert len(expected) > 6  # enough for three pages of three
    pages = -(-len(expected) // 3)
    assert f"问题共 {len(expected)} 条，分" in first.text and "这是第 1 页" in first.text
    seen, page, number = [], first, 1
    while True:
        rows = _finding_rows(page.text)
        assert 0 < len(rows) <= 3
        seen += rows
        following = re.search(r'<a href="\?page=(\d+)#findings" rel="next">', page.text)
        if not following:
            break
        number += 1
        assert int(following.group(1)) == number
        page = client.get(f"{first.url.path}?page={number}")
        assert page.status_code == 200 and f"这是第 {number} 页" in page.text
        assert inbox_summary() in page.text  # every page has the summary
    assert number >= pages and sorted(seen) == expected  # every finding is on exactly one page
    for name in {path for path, _, _ in expected}:  # the summary's link goes to the page the file's findings start on
        anchor, target = re.search(rf'<a href="(?:\?page=(\d+))?#(file-\d+)">{re.escape(name)}</a>', first.text).group(2, 1)
        target_page = client.get(f"{first.url.path}?page={target or 1}").text
        assert f'id="{anchor}"' in target_page and name in target_page
    for wrong in ("0", str(number + 1), "x", "１"):
        missing = client.get(f"{first.url.path}?page={wrong}")
        assert missing.status_code == 404 and "没有这一页" in missing.text


def test_a_page_of_findings_is_no_bigger_however_many_findings_there_are(client: TestClient, tmp_path: Path) -> None:
    from manualkit.toolkit.serve.work import FINDINGS_PER_PAGE

    broken = sample("feedback-slip")
    broken["customer_code"] = "编码!"
    invalid = write_form(SLIP, broken, tmp_path / "invalid.xlsx").read_bytes()
    count = FINDINGS_PER_PAGE + 20
    page = upload(client, "/validate", [("files", (f"回收/{n:04d}.xlsx", invalid)) for n in range(count)])
    findings = sum(len(json_file["errors"]) for json_file in
                   json.loads(client.get(downloads(page)["校验报告.json"]).content)["files"])
    assert findings >= count
    assert len(_finding_rows(page.text)) <= FINDINGS_PER_PAGE < findings
    last = client.get(f"{page.url.path}?page={-(-findings // FINDINGS_PER_PAGE)}")
    assert last.status_code == 200 and _finding_rows(last.text)
