"""The styles of a workbook being annotated: its styles.xml, with the fills, fonts and borders the copy adds.

A faulty cell keeps its own look with the fill of its finding's severity; the summary
sheet's cells get a title, header and body style. Missing style lists raise ``ValueError``,
which ``xml_copy`` takes as a workbook it does not edit.
"""

from __future__ import annotations

import copy
from typing import Any

from lxml import etree

from manualkit.toolkit.validate.xml_parts import MAIN

_M = f"{{{MAIN}}}"
FILLS = {"error": "FFC7CE", "warning": "FFEB9C"}
BORDER_COLOR = "808080"


class Styles:
    """The workbook's styles.xml, with the fills, font, border and cell styles the copy adds."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self.fonts, self.fills = self._list("fonts"), self._list("fills")
        self.borders, self.xfs = self._list("borders"), self._list("cellXfs")
        if not len(self.xfs):
            raise ValueError("no cell styles")
        self._fill_ids: dict[str, int] = {}
        self._filled: dict[tuple[int, str], int] = {}

    def _list(self, tag: str) -> Any:
        found = self.root.find(f"{_M}{tag}")
        if found is None:
            raise ValueError(f"no {tag}")
        return found

    def filled(self, style: int, severity: str) -> int:
        """Return the index of cell style ``style`` with the fill of ``severity``."""
        if (style, severity) not in self._filled:
            if severity not in self._fill_ids:
                self._fill_ids[severity] = _append(self.fills, _fill(FILLS[severity]))
            xf = copy.deepcopy(self.xfs[style if style < len(self.xfs) else 0])
            xf.set("fillId", str(self._fill_ids[severity]))
            xf.set("applyFill", "1")
            self._filled[(style, severity)] = _append(self.xfs, xf)
        return self._filled[(style, severity)]

    def summary_looks(self) -> dict[str, int]:
        """Return the cell styles of the summary: its title, the header and body cells (wrapped or centred)."""
        title = _append(self.fonts, etree.fromstring(f'<font xmlns="{MAIN}"><b val="1"/><sz val="14"/></font>'))
        bold = _append(self.fonts, etree.fromstring(f'<font xmlns="{MAIN}"><b val="1"/></font>'))
        sides = "".join(f'<{side} style="thin"><color rgb="00{BORDER_COLOR}"/></{side}>'
                        for side in ("left", "right", "top", "bottom"))
        border = _append(self.borders, etree.fromstring(f'<border xmlns="{MAIN}">{sides}<diagonal/></border>'))
        looks = {"title": _append(self.xfs, _xf(font=title))}
        for name, font in (("header", bold), ("body", 0)):
            looks[name] = _append(self.xfs, _xf(font=font, border=border, align='horizontal="center" vertical="top"'))
            looks[name + "_wrapped"] = _append(self.xfs, _xf(font=font, border=border,
                                                             align='vertical="top" wrapText="1"'))
        return looks

    def finish(self) -> None:
        for element in (self.fonts, self.fills, self.borders, self.xfs):
            element.set("count", str(len(element)))


def _append(parent: Any, element: Any) -> int:
    parent.append(element)
    return len(parent) - 1


def _fill(rgb: str) -> Any:
    return etree.fromstring(f'<fill xmlns="{MAIN}"><patternFill patternType="solid"><fgColor rgb="00{rgb}"/>'
                            f'<bgColor rgb="00000000"/></patternFill></fill>')


def _xf(font: int, border: int = 0, align: str = "") -> Any:
    applied = ' applyFont="1"' + (' applyBorder="1"' if border else "") + (' applyAlignment="1"' if align else "")
    alignment = f"<alignment {align}/>" if align else ""
    return etree.fromstring(f'<xf xmlns="{MAIN}" numFmtId="0" fontId="{font}" fillId="0" borderId="{border}" '
                            f'xfId="0"{applied}>{alignment}</xf>')
