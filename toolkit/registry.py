"""The forms the toolkit knows, discovered from the ``schemas`` package.

There is no list to edit: every public module of ``schemas`` holds exactly one
``FormSchema`` subclass, and its folder under ``forms/`` holds its templates and
sample. Adding a form is one schema module plus its folder.

A form's id, title and clause are read from its module's source (the class's
literal ``form_id``, ``form_title`` and ``clause``) so that listing the forms
(``manualkit forms``, ``--help``) costs no pydantic import; its model is imported the
first time ``FormSpec.model`` is asked for, and must then agree with what was read.

An organisation's own forms come as an installed package declaring a
``manualkit.forms`` entry point that names its schema module (or the class in
it). The form's folder travels in that package, beside the module:
``<package>/forms/<module name>/`` (templates, sample, workflow). Plug-ins are
imported when the forms are listed (only when some are installed). One that
fails to load or repeats a known form id is skipped with a Chinese message
naming its package; the other forms are not affected.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
import re
import sys
from dataclasses import dataclass
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from manualkit import schemas
from manualkit.toolkit.errors import GENERAL, FormNotFoundError, SetupError
from manualkit.toolkit.paths import forms_dir

if TYPE_CHECKING:
    from manualkit.schemas._base import FormSchema, Rule

ENTRY_POINT_GROUP = "manualkit.forms"

# What a form's module states literally: ``form_id: ClassVar[str] = "sign-in-book"``.
_CLASS_VAR = re.compile(r'^\s+(form_id|form_title|clause)\s*:\s*ClassVar\[str\]\s*=\s*"([^"\\]*)"\s*(?:#.*)?$', re.M)


class _Model:
    """``FormSpec.model``: the model given, or the one of ``schemas.<module>`` imported on first use."""

    def __get__(self, spec: FormSpec | None, owner: type) -> type[FormSchema]:
        if spec is None:
            raise AttributeError("model")  # no default: the dataclass field is required
        model: type[FormSchema] | None = spec.__dict__["_model"]
        if model is None:
            model = _load(spec.module, spec.form_id, spec.title, spec.clause)
            spec.__dict__["_model"] = model
        return model

    def __set__(self, spec: FormSpec, model: type[FormSchema] | None) -> None:
        spec.__dict__["_model"] = model


@dataclass(frozen=True, eq=False, repr=False)
class FormSpec:
    """A form: its id, title, schema model and folder of templates.

    ``model`` is the ``FormSchema`` subclass, or ``None`` to import it from ``schemas.<module>``
    when first asked for (the registry's way: listing forms imports no model).
    """

    form_id: str
    title: str
    clause: str
    model: _Model = _Model()  # read as type[FormSchema]; no default (the descriptor says so at run time)
    folder: Path  # type: ignore[misc]  # mypy takes the descriptor for a default
    module: str = ""  # the schema module (default: the id with underscores)

    def __post_init__(self) -> None:
        if not self.module:
            object.__setattr__(self, "module", self.form_id.replace("-", "_"))

    def template(self, suffix: str) -> Path | None:
        """Return ``template<suffix>`` of this form if the folder has one."""
        path = self.folder / f"template{suffix}"
        return path if path.is_file() else None

    @property
    def sample(self) -> Path:
        """Return the sample record shipped with the form."""
        return self.folder / "sample.json"

    def _key(self) -> tuple[str, str, str, str, Path]:
        return (self.form_id, self.title, self.clause, self.module, self.folder)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FormSpec) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"FormSpec({self.form_id!r}, {self.title!r}, {self.clause!r})"


@cache
def all_forms() -> dict[str, FormSpec]:
    """Return every form by id, in the order of their modules.

    Raises:
        SetupError: a schema module does not hold exactly one form, or its
            folder under ``forms/`` is missing.
    """
    specs: dict[str, FormSpec] = {}
    for info in sorted(pkgutil.iter_modules(schemas.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        stated = _stated(info.name)
        if stated is None:  # not stated literally: the module itself says
            model = _load(info.name)
            stated = {"form_id": model.form_id, "form_title": model.form_title, "clause": model.clause}
        if stated["form_id"].replace("-", "_") != info.name:
            raise SetupError(f"schemas/{info.name}.py 应恰好定义一个表单，且 form_id 与模块名一致")
        folder = forms_dir() / info.name
        if not folder.is_dir():
            raise SetupError(f"表单“{stated['form_title']}”缺少模板文件夹 {folder}")
        specs[stated["form_id"]] = FormSpec(stated["form_id"], stated["form_title"], stated["clause"], None, folder,
                                            info.name)
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            spec = _plugin_form(entry)
        except SetupError as exc:
            _report_plugin(entry, str(exc))
            continue
        except Exception as exc:  # whatever a plug-in raises, the built-in forms stay usable
            _report_plugin(entry, f"无法导入 {entry.value}（{type(exc).__name__}: {exc}）")
            continue
        if spec.form_id in specs:
            _report_plugin(entry, f"表单编号 {spec.form_id} 已被其他表单使用")
            continue
        specs[spec.form_id] = spec
    return dict(sorted(specs.items(), key=lambda item: _clause_key(item[1].clause)))


def _stated(module: str) -> dict[str, str] | None:
    """Return the id, title and clause a schema module states literally, once each (``None`` if not so)."""
    try:
        source = (Path(schemas.__path__[0]) / f"{module}.py").read_text(encoding="utf-8")
    except OSError:
        return None
    found = _CLASS_VAR.findall(source)
    stated = dict(found)
    return stated if len(found) == len(stated) == 3 else None


@cache
def _load(module: str, form_id: str | None = None, title: str | None = None,
          clause: str | None = None) -> type[FormSchema]:
    """Return the one form of ``schemas.<module>``, checked against what its source stated."""
    model = _the_form(importlib.import_module(f"{schemas.__name__}.{module}"), module)
    if model is None:
        raise SetupError(f"schemas/{module}.py 应恰好定义一个表单，且 form_id 与模块名一致")
    if form_id is not None and (model.form_id, model.form_title, model.clause) != (form_id, title, clause):
        raise SetupError(f"schemas/{module}.py 中表单“{model.form_title}”的编号、名称或条款与源文件所写不一致")
    return model


def _the_form(module: ModuleType, module_name: str) -> type[FormSchema] | None:
    """Return the one form defined in ``module`` if its id matches ``module_name``, else ``None``."""
    import inspect

    from manualkit.schemas._base import FormSchema

    found = [cls for _, cls in inspect.getmembers(module, inspect.isclass)
             if issubclass(cls, FormSchema) and cls.__module__ == module.__name__]
    if len(found) != 1 or found[0].form_id.replace("-", "_") != module_name:
        return None
    return found[0]



def declared_plugins() -> bool:
    """Return whether an installed package declares a plug-in form, whether or not it loads."""
    return bool(entry_points(group=ENTRY_POINT_GROUP))
def _plugin_form(entry: EntryPoint) -> FormSpec:
    """Load the form a ``manualkit.forms`` entry point names; its folder is ``forms/<module>/`` beside the module."""
    loaded = entry.load()
    module = sys.modules[loaded.__module__] if isinstance(loaded, type) else loaded
    module_name = module.__name__.rpartition(".")[2]
    model = _the_form(module, module_name)
    if model is None or (isinstance(loaded, type) and loaded is not model):
        raise SetupError(f"{module.__name__} 应恰好定义一个表单（FormSchema 的子类），且 form_id 与模块名一致")
    folder = Path(module.__file__ or "").parent / "forms" / module_name
    if not folder.is_dir():
        raise SetupError(f"表单“{model.form_title}”缺少模板文件夹 {folder}")
    return FormSpec(model.form_id, model.form_title, model.clause, model, folder, module_name)


def _report_plugin(entry: EntryPoint, reason: str) -> None:
    """Tell on standard error that a plug-in's form is left out, naming the package that ships it.

    Written here, once per process (``all_forms`` is cached), so that every command and the web page's
    console say it alike, while their own output stays as it is.
    """
    package = entry.dist.name if entry.dist else entry.value.partition(":")[0]
    sys.stderr.write(f"提示：未载入插件包 {package} 中的表单 {entry.name}：{reason}；其他表单照常可用。\n")


def _clause_key(clause: str) -> tuple[int, ...]:
    """Order forms as the manual does: §4.1.2 before §4.1.4 before §4.4, then the service norms' (002 2211)."""
    return (0 if clause.startswith("§") else 1, *(int(part) for part in re.findall(r"\d+", clause)))


def get_form(name: str) -> FormSpec:
    """Return the form called ``name``: its id, module name or Chinese title.

    Raises:
        FormNotFoundError: no form has that name; the message lists the known ones.
    """
    forms = all_forms()
    wanted = name.strip()
    for spec in forms.values():
        if wanted in (spec.form_id, spec.form_id.replace("-", "_"), spec.title):
            return spec
    names = [n for spec in forms.values() for n in (spec.form_id, spec.title)]
    nearest = difflib.get_close_matches(wanted, names, n=1, cutoff=0.6)
    guess = f"您是不是要找 {nearest[0]}？" if nearest else ""
    known = "、".join(f"{s.form_id}（{s.title}）" for s in forms.values())
    raise FormNotFoundError(f"未知表单：{name}。{guess}可用的表单：{known}")


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """One rule of the catalogue and the form that owns it (``None``: the general catalogue)."""

    form: FormSpec | None
    rule: Rule


def all_rules() -> list[CatalogueEntry]:
    """Return the whole rule catalogue: each form's rules in form order, then the general ones.

    A form's rules are declared on it (``FormSchema.rules`` and its row model's); nothing else lists them.
    """
    entries = [CatalogueEntry(form, rule) for form in all_forms().values() for rule in form.model.catalogue()]
    return entries + [CatalogueEntry(None, rule) for rule in GENERAL]
