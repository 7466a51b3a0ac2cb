"""The handbook's Word file around its text: styles, page, header and footer, made once by python-docx.

Everything of the .docx but the body is the same for every handbook: python-docx's default
template with the handbook's styles, A4 pages, a header with the title and a footer with page
numbers (``docx_layout``). It is made by python-docx once, by the developer, and kept as
``frame.docx`` beside this module (``python -m manualkit.toolkit.handbook.docx_frame`` remakes it;
a test fails while it differs from what ``docx_layout`` makes). A build then reads it, puts the
body in and writes the parts straight into the zip: no python-docx to import, no default
template to parse, no 800 KB of styles to serialise. The parts that vary are text the writer
completes: the body (``document.xml`` is split where it goes), the title in the header, the
"update fields" setting, one numbering instance per numbered list and the external links'
relationships; each is what python-docx writes for the same (the tests compare the parts).
"""

from __future__ import annotations

import io
import json
import re
import sys
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FRAME_FILE = Path(__file__).with_name("frame.docx")
TITLE = "manualkit-handbook-title"  # the header's text in the frame, replaced by the handbook's title
_META = "manualkit-frame.json"  # in frame.docx only: the style ids and numbering the writer needs
_DOCUMENT, _RELS = "word/document.xml", "word/_rels/document.xml.rels"
_SETTINGS, _NUMBERING = "word/settings.xml", "word/numbering.xml"
_UPDATE_FIELDS = '<w:updateFields w:val="true"/>'
_BODY_END = "<w:sectPr "  # the body's final section properties: the text goes before them
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_DATE = (2026, 1, 1, 0, 0, 0)  # of frame.docx's entries, so that remaking an unchanged frame changes no byte

# The page (``docx_layout`` sets it up; python-docx's units: an EMU is 1/360,000 cm, a twip 635 EMU).
PAGE_WIDTH_EMU, PAGE_HEIGHT_EMU = 21 * 360000, int(29.7 * 360000)  # A4
SIDE_MARGIN_EMU = int(2.8 * 360000)


def twips(*, cm: float) -> int:
    """Return ``cm`` in twips, rounded as python-docx's ``Cm(cm).twips``."""
    return round(int(cm * 360000) / 635)


# Styles the writer uses, by name; their ids are in the frame.
STYLES = ("Body Text", "Quote", "Table Text", "Table Heading", "Hyperlink", "Code", "Table Grid",
          "Title", "Subtitle", "TOC Heading", "TOC 1", "TOC 2",
          *(f"Heading {n}" for n in range(1, 5)),
          *(f"List {kind}{suffix}" for kind in ("Bullet", "Number", "Continue") for suffix in ("", " 2", " 3")))
NUMBERED_STYLES = ("List Number", "List Number 2", "List Number 3")


@dataclass(frozen=True, slots=True)
class Frame:
    """The frame's parts (name and bytes, in python-docx's order) and what the writer needs to know of them."""

    parts: list[tuple[str, bytes]]
    style_ids: dict[str, str]
    abstract_numbering: dict[str, str]  # numbered list style -> its w:abstractNumId

    def part(self, name: str) -> str:
        """Return the text of the part ``name``."""
        return next(data for part, data in self.parts if part == name).decode("utf-8")


@dataclass(slots=True)
class Additions:
    """What a document adds to its frame besides the body: numbering instances and external links."""

    frame: Frame
    nums: list[str]
    links: dict[str, str]  # target -> relationship id
    _num_ids: list[int]
    _rel_ids: set[str]

    @classmethod
    def of(cls, frame: Frame) -> Additions:
        """Return no additions yet to ``frame``."""
        num_ids = [int(found) for found in re.findall(r'<w:num w:numId="(\d+)"', frame.part(_NUMBERING))]
        return cls(frame, [], {}, num_ids, set(re.findall(r' Id="([^"]+)"', frame.part(_RELS))))

    def new_numbering(self, style: str) -> int:
        """Return a new numbering instance of the numbered list style ``style``, starting at 1 (as python-docx adds)."""
        num_id = next(n for n in range(1, len(self._num_ids) + 2) if n not in self._num_ids)
        self._num_ids.append(num_id)
        self.nums.append(f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{self.frame.abstract_numbering[style]}"/>'
                         '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>')
        return num_id

    def link(self, target: str) -> str:
        """Return the relationship id of the external link to ``target`` (one per target, as python-docx relates)."""
        if target not in self.links:
            number = next(n for n in range(1, len(self._rel_ids) + 2) if f"rId{n}" not in self._rel_ids)
            self._rel_ids.add(f"rId{number}")
            self.links[target] = f"rId{number}"
        return self.links[target]


def document_parts(additions: Additions, title: str, body: str, *,
                   ask_to_update_fields: bool) -> list[tuple[str, bytes]]:
    """Return the parts of the document: the frame's, with ``body`` (XML text), ``title`` and the additions."""
    from manualkit.toolkit.handbook.body_xml import escape_attribute

    frame = additions.frame
    texts: dict[str, str] = {}
    document = frame.part(_DOCUMENT)
    end = document.rindex(_BODY_END)
    texts[_DOCUMENT] = document[:end] + body + document[end:]
    for name, data in frame.parts:
        if name.startswith("word/header"):
            texts[name] = data.decode("utf-8").replace(f"<w:r><w:t>{TITLE}</w:t></w:r>", header_run(title))
    if not ask_to_update_fields:
        texts[_SETTINGS] = frame.part(_SETTINGS).replace(_UPDATE_FIELDS, "", 1)
    if additions.nums:
        texts[_NUMBERING] = frame.part(_NUMBERING).replace("</w:numbering>", "".join(additions.nums) + "</w:numbering>")
    if additions.links:
        rels = "".join(f'<Relationship Id="{rel_id}" Type="{_HYPERLINK}" Target="{escape_attribute(target)}" '
                       'TargetMode="External"/>' for target, rel_id in additions.links.items())
        texts[_RELS] = frame.part(_RELS).replace("</Relationships>", rels + "</Relationships>")
    return [(name, texts[name].encode("utf-8") if name in texts else data) for name, data in frame.parts]


def header_run(text: str) -> str:
    """Return the run python-docx makes of ``text`` (``paragraph.text = text``): tabs and line breaks as elements."""
    from manualkit.toolkit.handbook.body_xml import escape_text

    content = []
    for piece in re.split(r"([\t\r\n])", text):
        if piece == "\t":
            content.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            content.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            content.append(f"<w:t{space}>{escape_text(piece)}</w:t>")
    return f"<w:r>{''.join(content)}</w:r>" if content else "<w:r/>"


@cache
def load_frame(path: Path = FRAME_FILE) -> Frame:
    """Return the frame kept in ``path``."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info.filename, archive.read(info)) for info in archive.infolist()]
    meta = json.loads(next(data for name, data in parts if name == _META))
    return Frame([(name, data) for name, data in parts if name != _META], meta["style_ids"], meta["abstract_numbering"])


def make_frame() -> bytes:
    """Return frame.docx made anew by python-docx and ``docx_layout`` (a developer's tool, and the tests')."""
    from docx import Document

    from manualkit.toolkit.handbook.docx_layout import setup_document

    doc = Document()
    setup_document(doc, TITLE, ask_to_update_fields=True)
    meta = {
        "style_ids": {name: doc.styles[name].style_id for name in STYLES},
        "abstract_numbering": {
            name: str(doc.part.numbering_part.element.num_having_numId(
                doc.styles[name].element.pPr.numPr.numId.val).abstractNumId.val)
            for name in NUMBERED_STYLES
        },
    }
    saved = io.BytesIO()
    doc.save(saved)
    with zipfile.ZipFile(saved) as source:
        parts = [(info.filename, source.read(info)) for info in source.infolist()]
    frame = io.BytesIO()
    with zipfile.ZipFile(frame, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for name, data in [*parts, (_META, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))]:
            target.writestr(zipfile.ZipInfo(name, _DATE), data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return frame.getvalue()


if __name__ == "__main__":
    FRAME_FILE.write_bytes(make_frame())
    sys.stdout.write(f"已生成：{FRAME_FILE}\n")
