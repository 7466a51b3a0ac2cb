"""An annotated copy made by editing the submitted .xlsx's XML, for the plain workbooks most submissions are.

openpyxl reads every cell of a workbook into objects and writes them all out again: for a
sign-in book of 700 rows that is ten times the time it took to validate it. Here only
what changes is touched: the form sheet's faulty cells get a fill (a copy of their style
with it) and a comment, and the summary sheet is put in front; every other part is copied
as it is. The result is what ``annotate`` makes with openpyxl, in what a person sees:
the same summary rows, looks, print settings and comments.

Only a workbook made of the parts listed in ``_KEPT`` (no macros, no links to other
workbooks, no drawings or comments of its own), without formulas or DDE names, whose parts
all parse, is edited here; for any other ``NotPlain`` is raised and ``annotate`` lets
openpyxl do it (it also keeps values in place of formulas).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Sequence
from typing import Any

from lxml import etree

from manualkit.toolkit.validate.xml_parts import (
    CELL,
    DOC_REL,
    MAIN,
    Mark,
    Summary,
    column_number,
    comments_xml,
    summary_xml,
    vml,
)
from manualkit.toolkit.validate.xml_styles import Styles

__all__ = ["Mark", "NotPlain", "Summary", "edited_copy"]

PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_M, _R, _P, _T = f"{{{MAIN}}}", f"{{{DOC_REL}}}", f"{{{PKG_REL}}}", f"{{{TYPES}}}"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
_VML_TYPE = "application/vnd.openxmlformats-officedocument.vmlDrawing"
# The content types a workbook edited here may hold: no macros, links, drawings, tables or objects.
_KEPT = frozenset({
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", _SHEET_TYPE,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
    "application/vnd.openxmlformats-officedocument.theme+xml",
    "application/vnd.openxmlformats-package.core-properties+xml",
    "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    "application/vnd.openxmlformats-officedocument.custom-properties+xml",
    "application/vnd.openxmlformats-package.relationships+xml", "application/xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml",
})
_FORMULA = re.compile(rb"<(\w+:)?f[\s/>]")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


class NotPlain(Exception):  # noqa: N818 - it says what the workbook is not
    """The workbook holds what this module does not edit; openpyxl makes its copy."""


def edited_copy(data: bytes, sheet_name: str | None, marks: Sequence[Mark], summary: Summary) -> bytes:
    """Return the .xlsx ``data`` with ``marks`` on sheet ``sheet_name`` and ``summary`` as its first sheet.

    Raises:
        NotPlain: the workbook is not one edited here.
    """
    try:
        return _Package(data).annotated(sheet_name, marks, summary)
    except NotPlain:
        raise
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, ValueError, IndexError) as exc:
        raise NotPlain(f"{type(exc).__name__}: {exc}") from exc


class _Package:
    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self.names = [info.filename for info in archive.infolist()]
            self.parts = {name: archive.read(name) for name in self.names}
        self.types = self._xml("[Content_Types].xml")
        self.defaults = {d.get("Extension", "").lower(): d.get("ContentType") for d in self.types.iter(f"{_T}Default")}
        self.overrides = {o.get("PartName", "").lstrip("/"): o.get("ContentType")
                          for o in self.types.iter(f"{_T}Override")}
        for name in self.names:
            if not name.endswith("/") and self._type_of(name) not in _KEPT:
                raise NotPlain(f"part {name}")
        self.trees: dict[str, Any] = {}
        self.changed: set[str] = set()  # the parts written from their trees; the others are copied

    def _type_of(self, name: str) -> str | None:
        if name == "[Content_Types].xml":
            return "application/xml"
        return self.overrides.get(name) or self.defaults.get(name.rsplit(".", 1)[-1].lower())

    def _xml(self, name: str) -> Any:
        root = etree.fromstring(self.parts[name], _PARSER)
        if root is None:
            raise NotPlain(name)
        return root

    def _tree(self, name: str, changing: bool = False) -> Any:
        if name not in self.trees:
            self.trees[name] = self._xml(name)
        if changing:
            self.changed.add(name)
        return self.trees[name]

    def annotated(self, sheet_name: str | None, marks: Sequence[Mark], summary: Summary) -> bytes:
        for name in self.names:  # every part must parse, as openpyxl would need
            if name.endswith((".xml", ".rels")) and name not in self.trees:
                self._tree(name)
        workbook_name = self._main_part()
        workbook = self._tree(workbook_name, changing=True)
        rels_name = _rels_of(workbook_name)
        rels = self._tree(rels_name, changing=True)
        targets = {rel.get("Id"): _resolve(workbook_name, rel.get("Target", ""))
                   for rel in rels.iter(f"{_P}Relationship")}
        sheets = workbook.find(f"{_M}sheets")
        if sheets is None or not len(sheets):
            raise NotPlain("no sheets")
        sheet_parts = {sheet.get("name"): targets[sheet.get(f"{_R}id")] for sheet in sheets}
        if summary.title in sheet_parts:
            raise NotPlain("a sheet has the summary's name")
        for name in sheet_parts.values():
            if _FORMULA.search(self.parts[name]):
                raise NotPlain("formulas")
        for defined in workbook.iter(f"{_M}definedName"):
            if "|" in (defined.text or ""):
                raise NotPlain("a DDE name")
        styles_name = next((t for rel in rels.iter(f"{_P}Relationship") if rel.get("Type", "").endswith("/styles")
                            for t in [_resolve(workbook_name, rel.get("Target", ""))]), None)
        if styles_name is None:
            raise NotPlain("no styles")
        styles = Styles(self._tree(styles_name, changing=True))
        for name in sheet_parts.values():
            self._unselect(name)
        if sheet_name in sheet_parts and marks:
            self._mark(sheet_parts[sheet_name], marks, styles)
        looks = styles.summary_looks()
        summary_name = self._free("xl/worksheets/sheet{}.xml")
        self.parts[summary_name] = summary_xml(summary, looks)
        self._override(summary_name, _SHEET_TYPE)
        rel_id = _add_rel(rels, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet",
                          posixpath.relpath(summary_name, posixpath.dirname(workbook_name)))
        _add_sheet(workbook, sheets, summary.title, rel_id, summary.header_row)
        styles.finish()
        return self._zipped()

    def _main_part(self) -> str:
        rels = self._tree("_rels/.rels")
        for rel in rels.iter(f"{_P}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                return _resolve("", rel.get("Target", ""))
        raise NotPlain("no workbook")

    def _unselect(self, name: str) -> None:
        if b"tabSelected" not in self.parts[name]:
            return
        for view in self._tree(name, changing=True).iter(f"{_M}sheetView"):
            view.attrib.pop("tabSelected", None)

    def _mark(self, name: str, marks: Sequence[Mark], styles: Styles) -> None:
        sheet = self._tree(name, changing=True)
        rels_name = _rels_of(name)
        if any(child.tag in (f"{_M}legacyDrawing", f"{_M}drawing") for child in sheet):
            raise NotPlain("a drawing of its own")
        data = sheet.find(f"{_M}sheetData")
        if data is None:
            raise NotPlain("no sheetData")
        rows = _Rows(data)
        for mark in marks:
            cell = rows.cell(mark.cell)
            cell.set("s", str(styles.filled(int(cell.get("s", "0")), mark.severity)))
        comments_name = self._free("xl/comments/comment{}.xml")
        vml_name = self._free("xl/drawings/commentsDrawing{}.vml")
        self.parts[comments_name] = comments_xml(marks)
        self.parts[vml_name] = vml(marks)
        self._override(comments_name, _COMMENTS_TYPE)
        if "vml" not in self.defaults:
            etree.SubElement(self.types, f"{_T}Default", Extension="vml", ContentType=_VML_TYPE)
            self.defaults["vml"] = _VML_TYPE
        if rels_name in self.parts:
            rels = self._tree(rels_name, changing=True)
        else:
            rels = etree.Element(f"{_P}Relationships", nsmap={None: PKG_REL})
            self.trees[rels_name] = rels
            self.changed.add(rels_name)
            self.names.append(rels_name)
        folder = posixpath.dirname(name)
        _add_rel(rels, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
                 posixpath.relpath(comments_name, folder))
        vml_id = _add_rel(rels, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing",
                          posixpath.relpath(vml_name, folder))
        drawing = etree.Element(f"{_M}legacyDrawing")
        drawing.set(f"{_R}id", vml_id)
        later = {f"{_M}{tag}" for tag in ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                                          "webPublishItems", "tableParts", "extLst")}
        place = next((index for index, child in enumerate(sheet) if child.tag in later), len(sheet))
        sheet.insert(place, drawing)

    def _free(self, pattern: str) -> str:
        taken = {name.lower() for name in self.parts}
        number = 1
        while pattern.format(number).lower() in taken:
            number += 1
        name = pattern.format(number)
        self.names.append(name)
        return name

    def _override(self, name: str, content_type: str) -> None:
        etree.SubElement(self.types, f"{_T}Override", PartName="/" + name, ContentType=content_type)
        self.overrides[name] = content_type

    def _zipped(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", _serialised(self.types))
            for name in dict.fromkeys(self.names):
                if name == "[Content_Types].xml" or name.endswith("/"):
                    continue
                data = _serialised(self.trees[name]) if name in self.changed else self.parts[name]
                archive.writestr(name, data)
        return buffer.getvalue()


class _Rows:
    """The rows of a sheetData by number, to find or make a cell in its place."""

    def __init__(self, data: Any) -> None:
        self.data = data
        self.rows: dict[int, Any] = {}
        for row in data.iterchildren(f"{_M}row"):
            if row.get("r") is None:
                raise NotPlain("a row without its number")
            self.rows[int(row.get("r"))] = row

    def cell(self, reference: str) -> Any:
        match = CELL.fullmatch(reference)
        if match is None:
            raise NotPlain(f"cell {reference}")
        column, number = column_number(match[1]), int(match[2])
        row = self.rows.get(number)
        if row is None:
            row = etree.Element(f"{_M}row", r=str(number))
            after = [n for n in self.rows if n < number]
            if after:
                self.rows[max(after)].addnext(row)
            else:
                self.data.insert(0, row)
            self.rows[number] = row
        for cell in row.iterchildren(f"{_M}c"):
            found = cell.get("r")
            if found is None:
                raise NotPlain("a cell without its reference")
            if found == reference:
                return cell
            other = CELL.fullmatch(found)
            if other is None:
                raise NotPlain(f"cell {found}")
            if column_number(other[1]) > column:
                made = etree.Element(f"{_M}c", r=reference)
                cell.addprevious(made)
                row.attrib.pop("spans", None)
                return made
        made = etree.SubElement(row, f"{_M}c", r=reference)
        row.attrib.pop("spans", None)
        return made


def _rels_of(name: str) -> str:
    folder, base = posixpath.split(name)
    return posixpath.join(folder, "_rels", base + ".rels")


def _resolve(source: str, target: str) -> str:
    """Return the part a relationship of ``source`` points at (targets are relative to its folder, or absolute)."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _add_rel(rels: Any, kind: str, target: str) -> str:
    taken = {rel.get("Id") for rel in rels}
    number = 1
    while f"rIdMk{number}" in taken:
        number += 1
    etree.SubElement(rels, f"{_P}Relationship", Id=f"rIdMk{number}", Type=kind, Target=target)
    return f"rIdMk{number}"


def _add_sheet(workbook: Any, sheets: Any, title: str, rel_id: str, header_row: int) -> None:
    """Put the summary sheet first (and active): local names move up by one, the summary's print titles added."""
    ids = [int(sheet.get("sheetId", "0")) for sheet in sheets]
    sheet = etree.Element(f"{_M}sheet", name=title, sheetId=str(max(ids, default=0) + 1))
    sheet.set(f"{_R}id", rel_id)
    sheets.insert(0, sheet)
    names = workbook.find(f"{_M}definedNames")
    if names is None:
        names = etree.Element(f"{_M}definedNames")
        sheets.addnext(names)
    for defined in names:
        if defined.get("localSheetId") is not None:
            defined.set("localSheetId", str(int(defined.get("localSheetId")) + 1))
    titles = etree.SubElement(names, f"{_M}definedName", name="_xlnm.Print_Titles", localSheetId="0")
    titles.text = f"'{title}'!${header_row}:${header_row}"
    views = workbook.find(f"{_M}bookViews")
    if views is None:
        views = etree.Element(f"{_M}bookViews")
        etree.SubElement(views, f"{_M}workbookView")
        sheets.addprevious(views)
    for view in views:
        view.set("activeTab", "0")
        view.set("firstSheet", "0")


def _serialised(root: Any) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


