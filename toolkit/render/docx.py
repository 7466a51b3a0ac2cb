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

Compiling goes one step further when it can: a template using only what our
forms use (values, one loop over the table, ``tick``, ``if``) becomes a
``word_program.Program`` that fills a record by joining strings, printing
exactly what Jinja would. The program is cached by the template's bytes and
this code (``user_cache``), so a batch with a cached template imports neither
docxtpl nor Jinja. Any other template, or a record the program cannot print,
is filled by Jinja as before.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from manualkit.schemas._base import FormSchema, RowModel
from manualkit.schemas._policy import DEFAULT_POLICY, Policy
from manualkit.toolkit import user_cache
from manualkit.toolkit.errors import SetupError, TemplateRenderError
from manualkit.toolkit.files import write_atomically
from manualkit.toolkit.registry import FormSpec
from manualkit.toolkit.render._zipparts import Parts
from manualkit.toolkit.render.context import (
    HELPERS,
    REMEMBERED,
    blank_context,
    blank_rows_of,
    clean_text,
    header_values,
    record_context,
    shown,
    tick,
    value_key,
)
from manualkit.toolkit.render.word_program import BREAK, Program, UnsupportedError, compile_part, word_text
from manualkit.toolkit.xmltext import UNSTORABLE

if TYPE_CHECKING:
    import jinja2
    from jinja2 import nodes

# Parts of a .docx that may hold template tags.
_TEMPLATED = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")
_PARAGRAPH = re.compile(r"<w:p([ >])")
# A tag's opening braces, perhaps split by an editor into two runs: ``{</w:t></w:r><w:r><w:t>{``.
_TAG_START = re.compile(rb"\{(?:<[^>]*>)*[{%]")
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
# What a text must not hold to print as it is: what ``clean_text`` removes, a line break, what ``escape_text`` escapes.
_NOT_AS_IT_IS = re.compile(f"[{UNSTORABLE}\n&<>'\"]")
_QUOTES = str.maketrans(dict.fromkeys("\u2018\u2019", "'") | dict.fromkeys("\u201c\u201d", '"'))  # curly quotes
_PROGRAMS = "word-programs"  # the cache's folder for them


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
        try:
            data = path.read_bytes()
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                entries = [(info, archive.read(info)) for info in archive.infolist()]
        except (OSError, zipfile.BadZipFile) as exc:
            raise SetupError(f"表单“{form.title}”的 Word 模板 {path} 无法读取：不是有效的 .docx 文件") from exc
        self._sources = {info.filename: content.decode("utf-8") for info, content in entries
                         if _TEMPLATED.match(info.filename) and _TAG_START.search(content)}
        self._infos = {info.filename: info for info, _ in entries if info.filename in self._sources}
        self._unchanging = Parts((info, content) for info, content in entries if info.filename not in self._sources)
        self._jinja: dict[str, jinja2.Template] | None = None
        self._program_key = user_cache.key("word-program", data, *_names(form.model), _code_version())
        self._program = _cached_program(self._program_key)
        if self._program is None:
            self._program = self._compile_all()
        self._row_texts = _RowTexts(self._program.row_fields if self._program else ())

    @property
    def compiled(self) -> bool:
        """Return whether records are filled by the compiled program (else by Jinja)."""
        return self._program is not None

    def _compile_all(self) -> Program | None:
        """Compile every part with Jinja (checking it) and, if it can be, into a program, cached."""
        trees = {name: self._parse(name, xml) for name, xml in self._sources.items()}
        model = self.form.model
        row_model = model.row_model()
        row_fields = frozenset(row_model.model_fields) if row_model else frozenset()
        names = frozenset({*model.header_fields(), *model.derived, "organisation"})
        try:
            program = Program({name: compile_part(tree, model.rows_field, row_fields, names)
                               for name, tree in trees.items()})
        except UnsupportedError:
            return None  # Jinja fills it
        user_cache.write(_PROGRAMS, self._program_key, json.dumps(program.to_data(), ensure_ascii=False).encode())
        return program

    def _parse(self, name: str, xml: str) -> nodes.Template:
        """Return the parsed part, checked: valid Jinja using only the form's names."""
        import jinja2

        source = self._source(xml)
        try:
            tree = _environment().parse(source)
        except jinja2.TemplateSyntaxError as exc:
            raise self._error(exc, f"{name} 第 {exc.lineno} 行") from exc
        if unknown := unknown_names(tree, self.form.model):
            raise TemplateRenderError(
                f"表单“{self.form.title}”的 Word 模板 {self.path} 使用了表单中没有的字段：{'、'.join(unknown)}"
                f"（可用的字段见 manualkit schema {self.form.form_id}）"
            )
        return tree

    @staticmethod
    def _source(xml: str) -> str:
        from docxtpl import DocxTemplate  # type: ignore[import-untyped]  # docxtpl ships no type hints

        return _PARAGRAPH.sub(r"\n<w:p\1", plain_tags(DocxTemplate.patch_xml(None, xml)))

    def _templates(self) -> dict[str, jinja2.Template]:
        """Return the parts compiled by Jinja (on first use: a cached program needs no Jinja)."""
        if self._jinja is None:
            environment = _environment()
            self._jinja = {name: environment.from_string(self._source(xml)) for name, xml in self._sources.items()}
        return self._jinja

    def render(self, record: FormSchema | None) -> bytes:
        """Return the .docx bytes of the form filled with ``record`` (blank when ``None``)."""
        if self._program is not None:
            try:
                return self._zipped(self._run(self._program, record))
            except Exception:  # never a wrong document: Jinja fills it, or says what is wrong
                pass
        model = self.form.model
        context = record_context(record, self.policy) if record is not None else blank_context(model, self.policy)
        return self.render_context(word_values(context))

    def _run(self, program: Program, record: FormSchema | None) -> dict[str, bytes]:
        model, policy = self.form.model, self.policy
        if record is None:
            values = {name: word_text(value) for name, value in blank_context(model, policy).items()
                      if isinstance(value, str | list)}
            rows: list[dict[str, Any]] = []
        else:
            values = {name: word_text(value) for name, value in header_values(record, policy).items()}
            rows = [self._row_texts(row) for row in record.table()]
        return program.render_utf8(values, rows, tick, blank_rows_of(model, policy))

    def render_context(self, context: Mapping[str, Any]) -> bytes:
        """Return the .docx bytes of the template rendered with ``context`` as it is."""
        return self._zipped({name: self._render_part(name, template, context)
                             for name, template in self._templates().items()})

    def _zipped(self, rendered: Mapping[str, bytes]) -> bytes:
        # The parts that never change were compressed once; each document appends only its own.
        return self._unchanging.archive((self._infos[name], data) for name, data in rendered.items())

    def _render_part(self, name: str, template: jinja2.Template, context: Mapping[str, Any]) -> bytes:
        import jinja2

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
        write_atomically(data, out)
        return out

    def _error(self, exc: jinja2.TemplateError, where: str) -> TemplateRenderError:
        return TemplateRenderError(
            f"表单“{self.form.title}”的 Word 模板 {self.path} 无法填写（{where}）：{exc.message or exc}"
        )


class _RowTexts:
    """The printed texts of table rows, each distinct value of a column converted once."""

    def __init__(self, fields: Iterable[str]) -> None:
        self.known: dict[str, dict[Any, Any]] = {name: {} for name in sorted(fields)}

    def __call__(self, row: RowModel) -> dict[str, Any]:
        texts = {}
        values = row.__dict__  # the validated fields
        for name, known in self.known.items():
            value = values[name]
            key = value if value.__class__ is str else value_key(value)  # (a text is its own key)
            if key is None or (text := known.get(key, _UNSEEN)) is _UNSEEN:
                if value.__class__ is str:  # a code, a shop's name (mostly seen once): ``shown`` would clean it only
                    text = value if _NOT_AS_IT_IS.search(value) is None else word_text(clean_text(value))
                else:
                    text = word_text(shown(type(row), name, value))
                if key is not None and len(known) < REMEMBERED:
                    known[key] = text
            texts[name] = text
        return texts


_UNSEEN = object()


def _cached_program(entry: str | None) -> Program | None:
    content = user_cache.read(_PROGRAMS, entry)
    if content is None:
        return None
    try:
        return Program.from_data(json.loads(content))
    except ValueError:  # json.JSONDecodeError is one; a damaged entry is rebuilt
        return None


def _names(model: type[FormSchema]) -> list[str]:
    """Return what a compiled template depends on in the form: its names, its table and its columns."""
    row_model = model.row_model()
    return [model.form_id, model.rows_field or "", ",".join(model.model_fields), ",".join(model.derived),
            ",".join(row_model.model_fields if row_model else ()), ",".join(sorted(HELPERS))]


def _code_version() -> str | None:
    """Return what else a compiled template depends on: this code, Jinja's and docxtpl's versions."""
    here = Path(__file__).parent
    return user_cache.code_version((here / "docx.py", here / "word_program.py"), ("jinja2", "docxtpl"))


def _environment() -> jinja2.Environment:
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)


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
    from jinja2 import meta, nodes

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
    import html  # only when compiling: a cached program fills without it (html.entities is a big table)

    return _TAG.sub(lambda tag: html.unescape(tag.group(0)).translate(_QUOTES), xml)


def render_docx(form: FormSpec, record: FormSchema | None, out: Path, policy: Policy = DEFAULT_POLICY) -> Path:
    """Write ``form`` filled with ``record`` (blank when ``None``) to ``out``."""
    return WordTemplate(form, policy).write(record, out)


def word_values(context: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``context`` with every text escaped for WordprocessingML, line breaks kept."""
    return {key: _word_value(value) for key, value in context.items()}


def _word_value(value: Any) -> Any:
    from markupsafe import Markup, escape

    if isinstance(value, str) and not isinstance(value, Markup):
        return Markup(BREAK).join(escape(line) for line in value.split("\n")) if "\n" in value else escape(value)
    if isinstance(value, dict):
        return word_values(value)
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [_word_value(item) for item in value]
    return value  # choices lists stay lists of options for tick(); helpers stay callables
