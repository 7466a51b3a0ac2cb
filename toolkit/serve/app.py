"""The pages of ``manualkit serve``: routes, uploads into jobs, downloads.

Five tabs: 表单 (the forms, their blanks, fields and rules), 校验 (check
submitted spreadsheets), 填表 (fill forms from a data file), 月报 (draft the
monthly report) and 手册 (the handbook). Every answer comes from the library
functions the CLI commands call (``manualkit.toolkit.serve.work``); blocking work runs in
a thread, never on the event loop. Scripts and styles are served from the
package itself and the Content-Security-Policy forbids anything else, so the
page works with no internet and sends nothing out.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from functools import cache, partial
from pathlib import Path
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from manualkit.schemas._policy import DEFAULT_POLICY, Policy
from manualkit.toolkit.errors import FormNotFoundError, ToolkitError
from manualkit.toolkit.registry import FormSpec, all_forms, get_form
from manualkit.toolkit.serve import work
from manualkit.toolkit.serve.jobs import Job, Jobs, Work
from manualkit.toolkit.serve.uploads import Limits, Upload, UploadError, receive

HERE = Path(__file__).parent
TABS = [("/forms", "表单"), ("/validate", "校验"), ("/fill", "填表"), ("/report", "月报"), ("/handbook", "手册")]
FILL_FORMATS = {"both": "Word 和 Excel", "docx": "Word", "xlsx": "Excel", "pdf": "PDF（需要 LibreOffice）"}
REPORT_FORMATS = {"both": "Word 和 Excel", "docx": "Word", "xlsx": "Excel"}
BLANK_FORMATS = ("docx", "xlsx", "pdf")
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; frame-ancestors 'self'; form-action 'self'")


def create_app(policy: Policy = DEFAULT_POLICY, limits: Limits | None = None,
               allowed_hosts: Sequence[str] | None = None) -> Starlette:
    """Return the web application.

    Args:
        policy: the manual's numbers, for every check.
        limits: how much one upload may hold.
        allowed_hosts: the host names the page answers to (``None``: any); bound to the
            loopback, only ``127.0.0.1``/``localhost``, so that no other web site can reach it.
    """
    site = _Site(policy, limits or Limits(), Jobs())
    middleware = [Middleware(_Headers)]
    if allowed_hosts is not None:
        middleware.insert(0, Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)))
    return Starlette(routes=site.routes(), middleware=middleware)


class _Site:
    """The state the pages share: the policy, the limits, the jobs and the templates."""

    def __init__(self, policy: Policy, limits: Limits, jobs: Jobs) -> None:
        self.policy, self.limits, self.jobs = policy, limits, jobs
        environment = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                                         undefined=jinja2.StrictUndefined)
        self.templates = Jinja2Templates(env=environment)

    def routes(self) -> list[Route | Mount]:
        return [
            Route("/", lambda _request: RedirectResponse("/validate")),
            Route("/forms", self.forms),
            Route("/forms/{form_id}", self.form),
            Route("/forms/{form_id}/blank/{fmt}", self.blank),
            Route("/validate", self.validate_page),
            Route("/validate", self.validate_upload, methods=["POST"]),
            Route("/fill", self.fill_page),
            Route("/fill", self.fill_upload, methods=["POST"]),
            Route("/report", self.report_page),
            Route("/report", self.report_upload, methods=["POST"]),
            Route("/handbook", self.handbook),
            Route("/handbook/page", self.handbook_page),
            Route("/handbook/docx", self.handbook_docx),
            Route("/jobs/{job_id}", self.job),
            Route("/jobs/{job_id}/files/{name}", self.job_file),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ]

    def page(self, request: Request, name: str, status: int = 200, **context: object) -> HTMLResponse:
        context.setdefault("tab", "/" + request.url.path.strip("/").split("/")[0])
        context.update(tabs=TABS, limits=self.limits)
        return self.templates.TemplateResponse(request, name, context, status_code=status)

    def message(self, request: Request, title: str, text: str, status: int) -> HTMLResponse:
        return self.page(request, "message.html", status, title=title, text=text)

    # 表单
    async def forms(self, request: Request) -> HTMLResponse:
        return self.page(request, "forms.html", forms=list(all_forms().values()), pdf=_office_present())

    async def form(self, request: Request) -> HTMLResponse:
        spec = _form_or_none(request.path_params["form_id"])
        if spec is None:
            return self.message(request, "没有这个表单", f"没有编号为“{request.path_params['form_id']}”的表单。", 404)
        return self.page(request, "form.html", spec=spec, pdf=_office_present(),
                         appendix=Markup(_appendices()[spec.form_id]), rules=work.form_rules(spec, self.policy))

    async def blank(self, request: Request) -> Response:
        spec, fmt = _form_or_none(request.path_params["form_id"]), request.path_params["fmt"]
        if spec is None or fmt not in BLANK_FORMATS:
            return self.message(request, "没有这个文件", "请从“表单”页下载空白表单。", 404)
        try:
            name, content = await run_in_threadpool(_blank, spec, fmt)
        except ToolkitError as exc:
            return self.message(request, "无法生成空白表单", str(exc), 500)
        return attachment(name, content)

    # 校验、填表、月报: an upload becomes a job, whose page the browser then polls
    async def validate_page(self, request: Request) -> HTMLResponse:
        return self.page(request, "validate.html")

    async def validate_upload(self, request: Request) -> Response:
        def prepare(upload: Upload) -> Work:
            if not upload.saved("files"):
                raise UploadError("请先选择要校验的表格文件或文件夹。")
            return partial(work.check_submissions, upload=upload, policy=self.policy)

        return await self.start(request, "validate", prepare)

    async def fill_page(self, request: Request) -> HTMLResponse:
        return self.page(request, "fill.html", forms=list(all_forms().values()), formats=FILL_FORMATS)

    async def fill_upload(self, request: Request) -> Response:
        def prepare(upload: Upload) -> Work:
            form, fmt = get_form(upload.text("form") or "?"), upload.text("format")
            if fmt not in FILL_FORMATS:
                raise UploadError("请选择生成的格式。")
            if not upload.saved("data"):
                raise UploadError("请先选择数据文件（.json、.yaml 或按模板填写的 .xlsx）。")
            return partial(work.fill_forms, upload=upload, form=form, fmt=fmt, policy=self.policy)

        return await self.start(request, "fill", prepare)

    async def report_page(self, request: Request) -> HTMLResponse:
        last_month = dt.date.today().replace(day=1) - dt.timedelta(days=1)
        return self.page(request, "report.html", month=f"{last_month:%Y-%m}", formats=REPORT_FORMATS)

    async def report_upload(self, request: Request) -> Response:
        def prepare(upload: Upload) -> Work:
            month, fmt = upload.text("month"), upload.text("format")
            if not _MONTH.fullmatch(month):
                raise UploadError(f"报告月份“{month}”应写作 2026-11 这样的年月。")
            if fmt not in REPORT_FORMATS:
                raise UploadError("请选择草稿的格式。")
            if not upload.saved("submissions"):
                raise UploadError("请先选择这个月提交的表格（文件夹或文件）。")
            from manualkit.toolkit.render.fill_batch import formats_of

            return partial(work.draft_report, upload=upload, month=month, manager=upload.text("manager") or None,
                           formats=formats_of(fmt), policy=self.policy)

        return await self.start(request, "report", prepare)

    async def start(self, request: Request, kind: str, prepare: Callable[[Upload], Work]) -> Response:
        """Receive the upload into a fresh temporary folder and start its job; say what is wrong if anything."""
        origin = request.headers.get("origin")
        if origin and urlsplit(origin).netloc != request.headers.get("host"):  # a form on another web site
            return self.message(request, "不接受其他网站提交的文件", "请在本页面上选择文件后提交。", 403)
        folder = Path(tempfile.mkdtemp(prefix="manualkit-serve-"))
        try:
            upload = await receive(request, self.limits, folder)
            job_work = prepare(upload)
        except ToolkitError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            return self.message(request, "无法处理上传的文件", str(exc), 400)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        job = self.jobs.start(kind, job_work, folder)
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    async def job(self, request: Request) -> HTMLResponse:
        job = self.jobs.get(request.path_params["job_id"])
        if job is None:
            return self.message(request, "找不到这次的结果",
                                "结果只在服务运行期间保留一段时间。请重新上传文件。", 404)
        tab = next(path for path, _ in TABS if path == f"/{job.kind}")
        if not job.shown:
            return self.page(request, "running.html", job=job, tab=tab)
        pages = job.result.get("pages") or [[]]
        shown = request.query_params.get("page", "1")
        if not shown.isascii() or not shown.isdigit() or not 1 <= int(shown) <= len(pages):
            return self.message(request, "没有这一页", f"这次的结果共 {len(pages)} 页，请从第 1 页看起。", 404)
        return self.page(request, f"{job.kind}_result.html", job=job, tab=tab,
                         page=int(shown), pages=len(pages), parts=pages[int(shown) - 1],
                         per_page=work.FINDINGS_PER_PAGE)

    async def job_file(self, request: Request) -> Response:
        job: Job | None = self.jobs.get(request.path_params["job_id"])
        name = request.path_params["name"]
        while job is not None and name in job.coming and not job.finished:  # answer once it is made
            await asyncio.sleep(0.2)
        if job is not None and name not in job.downloads and name in job.coming and job.error:
            return self.message(request, "这个文件未能生成", job.error, 500)
        if job is None or name not in job.downloads:
            return self.message(request, "找不到这个文件", "结果只在服务运行期间保留一段时间。请重新上传文件。", 404)
        return attachment(name, job.downloads[name])

    # 手册
    async def handbook(self, request: Request) -> HTMLResponse:
        return self.page(request, "handbook.html")

    async def handbook_page(self, _request: Request) -> Response:
        _, content = await run_in_threadpool(_handbook, "html", self.policy)
        return HTMLResponse(content.decode("utf-8"))

    async def handbook_docx(self, _request: Request) -> Response:
        return attachment(*await run_in_threadpool(_handbook, "docx", self.policy))


class _Headers:
    """Add the security headers to every answer: nothing from outside, no sniffing of types."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] += [(b"content-security-policy", _CSP.encode()),
                                       (b"x-content-type-options", b"nosniff"),
                                       (b"referrer-policy", b"same-origin")]
            await send(message)

        await self.app(scope, receive, send_with_headers if scope["type"] == "http" else send)


def attachment(name: str, content: bytes) -> Response:
    """Return ``content`` as a download named ``name`` (Chinese names kept, RFC 5987)."""
    suffix = Path(name).suffix.lower()
    media = {".zip": "application/zip", ".json": "application/json", ".pdf": "application/pdf",
             ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    return Response(content, media_type=media.get(suffix, "application/octet-stream"),
                    headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


def _form_or_none(name: str) -> FormSpec | None:
    try:
        return get_form(name)
    except FormNotFoundError:
        return None


def _office_present() -> bool:
    from manualkit.toolkit.office import find_soffice

    return find_soffice() is not None


@cache
def _appendices() -> dict[str, str]:
    """Return each form's handbook appendix as HTML: its fields and rules, as the handbook states them."""
    from manualkit.toolkit.handbook.form_appendix import form_chapters
    from manualkit.toolkit.handbook.html_writer import chapters_html
    from manualkit.toolkit.handbook.tree import markdown_parser, parse_chapters

    # the page shows the rules under its own policy (``work.form_rules``), not the appendix's
    html = chapters_html(parse_chapters(markdown_parser(), form_chapters(DEFAULT_POLICY, with_rules=False)))
    return dict(zip(all_forms(), html, strict=True))


def _blank(spec: FormSpec, fmt: str) -> tuple[str, bytes]:
    """Return the name and content of ``spec``'s blank in ``fmt``, made in a folder removed at once."""
    from manualkit.toolkit.render.fill_batch import render_blanks

    with tempfile.TemporaryDirectory(prefix="manualkit-serve-") as folder:
        [path] = render_blanks([spec], fmt, Path(folder))
        return path.name, path.read_bytes()


def _handbook(fmt: str, policy: Policy) -> tuple[str, bytes]:
    """Return the name and content of the handbook in ``fmt`` (html or docx), as of today."""
    from manualkit.toolkit.handbook.build import build_handbook

    with tempfile.TemporaryDirectory(prefix="manualkit-serve-") as folder:
        [path] = build_handbook(Path(folder), (fmt,), policy, today=dt.date.today())
        return path.name, path.read_bytes()
