"""Word forms, blank or filled, from the docxtpl templates in ``forms/<form>/``.

The only module that imports docxtpl. A template is compiled once
(``WordTemplate``) and then fills any number of records: each document is the
template's zip with its XML parts rendered, which is what makes large batches
fast. Rendering is strict: a name the context lacks is an error, never a blank;
every value is escaped, so ``& < >`` and text that looks like a template tag
appear literally; line breaks in a value become line breaks in Word.

Templates edited in Word, WPS or LibreOffice still compile: their tags come
back split into runs, with ``&apos;`` for ``'`` and curly quotes, and are put
back together before compiling (``plain_tags``). An organisation may keep its
edited templates in a folder of its own (``templates_dir``).

People may edit the templates in Word, so they run in Jinja's immutable sandbox:
a template reaching for Python's insides (``{{ ''.__class__.__mro__ }}``) or
changing the values it is given is refused with a Chinese message.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate  # type: ignore[import-untyped]  # docxtpl ships no type hints
from jinja2 import meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from manualkit.schemas._base import FormSchema
from manualkit.schemas._policy import DEFAULT_POLICY, Policy
from manualkit.toolkit.errors import SetupError, TemplateRenderError
from manualkit.toolkit.files import atomic_output
from manualkit.toolkit.registry import FormSpec
from manualkit.toolkit.render.context import HELPERS, blank_context, record_context

# Parts of a .docx that may hold template tags.
_TEMPLATED = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")
_BREAK = Markup('</w:t><w:br/><w:t xml:space="preserve">')
_PARAGRAPH = re.compile(r"<w:p([ >])")
# A tag's opening braces, perhaps split by an editor into two runs: ``{</w:t></w:r><w:r><w:t>{``.
_TAG_START = re.compile(rb"\{(?:<[^>]*>)*[{%]")
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_QUOTES = str.maketrans(dict.fromkeys("\u2018\u2019", "'") | dict.fromkeys("\u201c\u201d", '"'))  # curly quotes


class WordTemplate:
    """A form's Word template, compiled once and ready to fill many records."""

    def __init__(self, form: FormSpec, policy: Policy = DEFAULT_POLICY, templates_dir: Path | None = None) -> None:
        """Read and compile ``form``'s ``template.docx`` (``templates_dir/<form>/`` overrides it).

        Raises:
            SetupError: the form has no Word template.
            TemplateRenderError: the template is not valid Jinja.
        """
        path = template_path(form, templates_dir)
        if path is None:
            raise SetupError(f"表单“{form.title}”缺少 Word 模板 {form.folder / 'template.docx'}")
        self.form, self.path, self.policy = form, path, policy
        self._environment = ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)
        try:
            with zipfile.ZipFile(path) as archive:
                self._entries = [(info, archive.read(info)) for info in archive.infolist()]
        except (OSError, zipfile.BadZipFile) as exc:
            raise SetupError(f"表单“{form.title}”的 Word 模板 {path} 无法读取：不是有效的 .docx 文件") from exc
        self._parts = {
            info.filename: self._compile(info.filename, data.decode("utf-8"))
            for info, data in self._entries
            if _TEMPLATED.match(info.filename) and _TAG_START.search(data)
        }
        self._infos = {info.filename: info for info, _ in self._entries if info.filename in self._parts}
        self._static_zip = _zip((info, data) for info, data in self._entries if info.filename not in self._parts)

    def _compile(self, name: str, xml: str) -> jinja2.Template:
        source = _PARAGRAPH.sub(r"\n<w:p\1", plain_tags(DocxTemplate.patch_xml(None, xml)))
        try:
            tree = self._environment.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            raise self._error(exc, f"{name} 第 {exc.lineno} 行") from exc
        if unknown := unknown_names(tree, self.form.model):
            raise TemplateRenderError(
                f"表单“{self.form.title}”的 Word 模板 {self.path} 使用了表单中没有的字段：{'、'.join(unknown)}"
                f"（可用的字段见 manualkit schema {self.form.form_id}）"
            )
        return self._environment.from_string(source)

    def render(self, record: FormSchema | None) -> bytes:
        """Return the .docx bytes of the form filled with ``record`` (blank when ``None``)."""
        model = self.form.model
        context = record_context(record, self.policy) if record is not None else blank_context(model, self.policy)
        return self.render_context(word_values(context))

    def render_context(self, context: Mapping[str, Any]) -> bytes:
        """Return the .docx bytes of the template rendered with ``context`` as it is."""
        rendered = {name: self._render_part(name, template, context) for name, template in self._parts.items()}
        # The parts that never change were compressed once; each document appends only its own.
        buffer = io.BytesIO(self._static_zip)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
            for name, data in rendered.items():
                archive.writestr(self._infos[name], data, compresslevel=1)
        return buffer.getvalue()

    def _render_part(self, name: str, template: jinja2.Template, context: Mapping[str, Any]) -> bytes:
        try:
            xml = template.render(context)
        except jinja2.exceptions.SecurityError as exc:
            raise TemplateRenderError(
                f"表单“{self.form.title}”的 Word 模板 {self.path}（{name}）使用了不允许的代码，出于安全原因拒绝填写；"
                "模板只能使用表单的字段名和 tick、blank_rows") from exc
        except jinja2.TemplateError as exc:
            raise self._error(exc, name) from exc
        return xml.replace("\n<w:p", "<w:p").encode("utf-8")  # undo the line breaks added for messages

    def write(self, record: FormSchema | None, out: Path) -> Path:
        """Write the filled (or blank) document to ``out`` atomically."""
        data = self.render(record)
        with atomic_output(out) as temporary:
            temporary.write_bytes(data)
        return out

    def _error(self, exc: jinja2.TemplateError, where: str) -> TemplateRenderError:
        return TemplateRenderError(
            f"表单“{self.form.title}”的 Word 模板 {self.path} 无法填写（{where}）：{exc.message or exc}"
        )


def template_path(form: FormSpec, templates_dir: Path | None = None) -> Path | None:
    """Return the Word template of ``form``: ``templates_dir/<form>/template.docx`` if there is one.

    The folder is named like the form's folder (``sign_in_book``) or by its id (``sign-in-book``).
    """
    if templates_dir is not None:
        for name in (form.folder.name, form.form_id):
            if (override := templates_dir / name / "template.docx").is_file():
                return override
    return form.template(".docx")


def unknown_names(tree: nodes.Template, model: type[FormSchema]) -> list[str]:
    """Return the names a parsed template uses that ``model`` does not have, e.g. ``["row.remark"]``.

    Top-level names must be fields, derived values or helpers; the attributes of a
    loop's variable (``row.customer_code``) must be fields of the form's rows.
    """
    unknown = meta.find_undeclared_variables(tree) - {*model.model_fields, *model.derived, *HELPERS}
    row_model = model.row_model()
    row_fields = set(row_model.model_fields) if row_model else set()
    for loop in tree.find_all(nodes.For):
        if not isinstance(loop.target, nodes.Name):
            continue
        unknown |= {f"{loop.target.name}.{use.attr}" for use in loop.find_all(nodes.Getattr)
                    if isinstance(use.node, nodes.Name) and use.node.name == loop.target.name
                    and use.attr not in row_fields}
    return sorted(unknown)


def check_templates_dir(templates_dir: Path) -> None:
    """Refuse a templates folder holding a ``<name>/template.docx`` whose name is no form.

    Raises:
        SetupError: naming the folder that matches no form, and the names that would.
    """
    from manualkit.toolkit.registry import all_forms

    names = {name for form in all_forms().values() for name in (form.folder.name, form.form_id)}
    for template in sorted(templates_dir.glob("*/template.docx")):
        if template.parent.name not in names:
            raise SetupError(
                f"模板文件夹 {templates_dir} 中的“{template.parent.name}”不是表单；"
                f"子文件夹应以表单编号或文件夹名命名：{'、'.join(sorted(names))}"
            )


def plain_tags(xml: str) -> str:
    """Return ``xml`` with its template tags as Jinja reads them: entities and curly quotes undone.

    docxtpl's ``patch_xml`` has already joined the runs an editor split a tag into.
    """
    return _TAG.sub(lambda tag: html.unescape(tag.group(0)).translate(_QUOTES), xml)


def _zip(entries: Iterable[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    """Return a zip archive of ``entries``, quickly compressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(info, data, compresslevel=1)
    return buffer.getvalue()


def render_docx(form: FormSpec, record: FormSchema | None, out: Path, policy: Policy = DEFAULT_POLICY) -> Path:
    """Write ``form`` filled with ``record`` (blank when ``None``) to ``out``."""
    return WordTemplate(form, policy).write(record, out)


def word_values(context: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``context`` with every text escaped for WordprocessingML, line breaks kept."""
    return {key: _word_value(value) for key, value in context.items()}


def _word_value(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, Markup):
        return _BREAK.join(escape(line) for line in value.split("\n")) if "\n" in value else escape(value)
    if isinstance(value, dict):
        return word_values(value)
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [_word_value(item) for item in value]
    return value  # choices lists stay lists of options for tick(); helpers stay callables
