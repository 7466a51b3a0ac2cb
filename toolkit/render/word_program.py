"""Word templates as programs of plain text and values: compiled once from Jinja, run without it.

A form's template uses a small part of Jinja: header values (``{{ manager }}``),
one loop over the table (``{% for row in rows or blank_rows() %}``) printing the
row's fields, ``tick(value, '选项')`` and ``{% if stage %}``. ``compile_part``
turns a parsed template made only of these into a list of operations, which
``Program.render`` runs by joining strings: no Jinja, no sandbox, no Markup per
value. Anything else (filters, expressions, ``loop.index``, an edited template
reaching for Python's insides) is ``UnsupportedError``, and the template is filled by
Jinja as before (``manualkit.toolkit.render.docx``).

What a program prints is exactly what Jinja prints with the same values: every
value escaped as markupsafe escapes it, line breaks in a value as Word's line
breaks, lists printed as Jinja prints them. The tests compare the two outputs
byte for byte, for every form and for awkward text.

A program is plain data (``to_data``/``from_data``: lists, strings, numbers) so
that it can be cached on disk without caching code: a cache file can at worst
hold a wrong program, which ``from_data`` refuses unless its shape is right, and
the cache is keyed by the template's bytes and this module's source.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import nodes

# Operations. A part is a tuple of them; a loop's body is a tuple of them too.
TEXT, VALUE, FIELD, TICK, TICK_FIELD, LOOP, IF = "text", "value", "field", "tick", "tick_field", "loop", "if"
BREAK = '</w:t><w:br/><w:t xml:space="preserve">'  # a line break inside a value (also in what Jinja prints)
DEFAULT = "default"  # blank_rows() without a count: as many as the form asks for
_MARKS = frozenset({"☑", "☐"})  # what tick() gives: nothing in them to escape
_ESCAPES = (("&", "&amp;"), (">", "&gt;"), ("<", "&lt;"), ("'", "&#39;"), ('"', "&#34;"))  # markupsafe's


BlankRows = Callable[[int | None], list[dict[str, str]]]


class UnsupportedError(Exception):
    """The template uses Jinja beyond what a program does; Jinja fills it."""


def escape_text(text: str) -> str:
    """Return ``text`` escaped exactly as ``markupsafe.escape`` escapes it (``&<>'"``)."""
    for char, entity in _ESCAPES:
        if char in text:
            text = text.replace(char, entity)
    return text


def word_text(value: str | list[str]) -> str | list[str]:
    """Return a display value as the template sees it: text escaped with its line breaks kept, a list as it is."""
    if isinstance(value, list):
        return value
    if "\n" in value:
        return BREAK.join(escape_text(line) for line in value.split("\n"))
    return escape_text(value)


def printed(value: Any) -> str:
    """Return what ``{{ value }}`` prints for a value ``word_text`` made (a list as Jinja prints it)."""
    return value if isinstance(value, str) else escape_text(str(value))


def ticked(value: Any, option: str, tick: Callable[[Any, str], str]) -> str:
    """Return what ``{{ tick(value, option) }}`` prints."""
    return escape_text(tick(value, option))


class Program:
    """The operations of each templated part of a .docx, ready to run."""

    def __init__(self, parts: Mapping[str, tuple[Any, ...]]) -> None:
        self.parts = dict(parts)
        self.row_fields = frozenset(_row_fields(op for ops in self.parts.values() for op in ops))
        # Each loop whose body only prints texts, fields and ticks, as its pieces with the values' places (by
        # the body's id): a table's row is then a copy of the pieces with its values put in, not an operation each.
        self.flat = {id(body): flat for body in _loop_bodies(op for ops in self.parts.values() for op in ops)
                     if (flat := _flat(body)) is not None}

    def render_utf8(self, values: Mapping[str, Any], rows: Sequence[Mapping[str, Any]],
                    tick: Callable[[Any, str], str], blank_rows: BlankRows) -> dict[str, bytes]:
        """Return each part's XML, in UTF-8 (as a .docx holds it), for the header ``values`` and the table's ``rows``.

        ``values`` are ``word_text`` of each; ``rows`` hold at least the fields the program prints
        (``row_fields``), each as ``word_text`` made it. Raises ``KeyError`` for a value it lacks (Jinja
        then says which). The texts of the table's rows were encoded once, with the program: a document
        encodes only its values and the few texts outside the table, instead of the whole part again.
        """
        run = _Run(values, rows, tick, blank_rows, self.flat)
        return {name: b"".join([piece if piece.__class__ is bytes else piece.encode("utf-8")  # type: ignore[union-attr]
                                for piece in run.out(ops, None)]) for name, ops in self.parts.items()}

    def to_data(self) -> dict[str, Any]:
        """Return the program as JSON-able data."""
        return {"parts": {name: _data(ops) for name, ops in self.parts.items()}}

    @classmethod
    def from_data(cls, data: Any) -> Program:
        """Return the program ``to_data`` gave.

        Raises:
            ValueError: ``data`` is not the shape of a program.
        """
        if not isinstance(data, dict) or not isinstance(data.get("parts"), dict):
            raise ValueError("not a program")
        return cls({_text(name): _ops(ops) for name, ops in data["parts"].items()})


class _Run:
    """One document being printed."""

    def __init__(self, values: Mapping[str, Any], rows: Sequence[Mapping[str, Any]],
                 tick: Callable[[Any, str], str], blank_rows: BlankRows, flat: Mapping[int, _Flat]) -> None:
        self.values, self.rows, self.tick, self.blank_rows, self.flat = values, rows, tick, blank_rows, flat

    def out(self, ops: tuple[Any, ...], row: Mapping[str, Any] | None) -> list[str | bytes]:
        pieces: list[str | bytes] = []
        add = pieces.append
        values, tick = self.values, self.tick
        for op in ops:  # printed() and ticked() written out: this loop runs for every cell of every table
            kind = op[0]
            if kind is TEXT:
                add(op[1])
            elif kind is FIELD:
                value = row[op[1]]  # type: ignore[index]  # compile_part puts fields inside loops only
                add(value if type(value) is str else escape_text(str(value)))
            elif kind is TICK_FIELD:
                mark = tick(row[op[1]], op[2])  # type: ignore[index]
                add(mark if mark in _MARKS else escape_text(mark))
            elif kind is VALUE:
                add(printed(values[op[1]]))
            elif kind is TICK:
                add(ticked(values[op[1]], op[2], tick))
            elif kind is LOOP:
                body = op[2]
                if (flat := self.flat.get(id(body))) is not None:
                    pieces += self.flat_rows(flat, self._sequence(op[1]))
                else:
                    for item in self._sequence(op[1]):
                        pieces += self.out(body, item)
            else:  # IF
                chosen = op[2] if self._true(op[1], row) else op[3]
                pieces += self.out(chosen, row)
        return pieces

    def flat_rows(self, flat: _Flat, rows: Sequence[Mapping[str, Any]]) -> list[str | bytes]:
        """Return the pieces of each row printed by a loop body of texts, fields and ticks only (as ``out`` would).

        In UTF-8: the body's texts as the program encoded them, each value encoded.
        """
        utf8, slots = flat
        tick, pieces = self.tick, []
        for row in rows:
            line: list[str | bytes] = list(utf8)
            for at, kind, name, option in slots:
                if kind is FIELD:
                    value = row[name]
                    text = value if type(value) is str else escape_text(str(value))
                else:  # TICK_FIELD
                    mark = tick(row[name], option)  # type: ignore[arg-type]  # a tick has its option
                    text = mark if mark in _MARKS else escape_text(mark)
                line[at] = text.encode("utf-8")
            pieces += line
        return pieces

    def _sequence(self, blank: int | str | None) -> Sequence[Mapping[str, Any]]:
        if self.rows or blank is None:
            return self.rows
        return self.blank_rows(None if blank == DEFAULT else int(blank))

    def _true(self, test: tuple[str, str], row: Mapping[str, Any] | None) -> bool:
        where, name = test
        return bool(row[name] if where == FIELD else self.values[name])  # type: ignore[index]


# Compiling: from Jinja's tree to operations.


def compile_part(tree: nodes.Template, rows_field: str | None, row_fields: frozenset[str],
                 names: frozenset[str]) -> tuple[Any, ...]:
    """Return the operations of a parsed template part.

    ``rows_field`` is the form's table, ``row_fields`` its columns, ``names`` the header values
    (fields, derived values, ``organisation``) a template may print.

    Raises:
        UnsupportedError: the part uses anything else.
    """
    return _Compiler(rows_field, row_fields, names).block(tree.body, None)


class _Compiler:
    def __init__(self, rows_field: str | None, row_fields: frozenset[str], names: frozenset[str]) -> None:
        self.rows_field, self.row_fields, self.names = rows_field, row_fields, names

    def block(self, body: list[nodes.Node], loop: str | None) -> tuple[Any, ...]:
        from jinja2 import nodes

        ops: list[Any] = []
        for node in body:
            if isinstance(node, nodes.Output):
                ops += [self.output(child, loop) for child in node.nodes]
            elif isinstance(node, nodes.For) and loop is None:
                ops.append(self.loop(node))
            elif isinstance(node, nodes.If) and not node.elif_:
                ops.append((IF, self.reference(node.test, loop), self.block(node.body, loop),
                            self.block(node.else_, loop)))
            else:
                raise UnsupportedError(type(node).__name__)
        return _joined(ops)

    def output(self, node: nodes.Node, loop: str | None) -> tuple[Any, ...]:
        from jinja2 import nodes

        if isinstance(node, nodes.TemplateData):  # without the line breaks docx.py put before paragraphs
            return (TEXT, node.data.replace("\n<w:p", "<w:p"))
        if isinstance(node, nodes.Call) and _is_name(node.node, "tick") and self._plain_call(node, 2):
            option = node.args[1]
            if not isinstance(option, nodes.Const) or not isinstance(option.value, str):
                raise UnsupportedError("tick")
            where, name = self.reference(node.args[0], loop)
            return (TICK_FIELD if where == FIELD else TICK, name, option.value)
        where, name = self.reference(node, loop)
        return (where, name)

    def reference(self, node: nodes.Node, loop: str | None) -> tuple[str, str]:
        """Return (FIELD, column) for ``row.column`` inside the loop, (VALUE, name) for a header value."""
        from jinja2 import nodes

        if (isinstance(node, nodes.Getattr) and loop is not None and _is_name(node.node, loop)
                and node.attr in self.row_fields and not hasattr(dict, node.attr)):
            return (FIELD, node.attr)
        if isinstance(node, nodes.Name) and node.name != loop and node.name in self.names:
            return (VALUE, node.name)
        raise UnsupportedError(type(node).__name__)

    def loop(self, node: nodes.For) -> tuple[Any, ...]:
        """Compile ``{% for row in rows %}``, ``rows or blank_rows()`` or ``rows or blank_rows(8)``."""
        from jinja2 import nodes

        if (node.else_ or node.recursive or node.test is not None or not isinstance(node.target, nodes.Name)
                or self.rows_field is None or node.target.name in {self.rows_field, "loop"}):
            raise UnsupportedError("for")
        iterated, blank = node.iter, None
        if isinstance(iterated, nodes.Or):
            blank = self._blank_rows(iterated.right)
            iterated = iterated.left
        if not _is_name(iterated, self.rows_field):
            raise UnsupportedError("for")
        body = self.block(node.body, node.target.name)
        if _uses_name(node.body, "loop"):
            raise UnsupportedError("loop")
        return (LOOP, blank, body)

    def _blank_rows(self, node: nodes.Node) -> int | str:
        from jinja2 import nodes

        if isinstance(node, nodes.Call) and _is_name(node.node, "blank_rows") and self._plain_call(node, None):
            if not node.args:
                return DEFAULT
            count = node.args[0]
            if len(node.args) == 1 and isinstance(count, nodes.Const) and type(count.value) is int:
                return int(count.value)
        raise UnsupportedError("blank_rows")

    @staticmethod
    def _plain_call(node: nodes.Call, arguments: int | None) -> bool:
        plain = not node.kwargs and node.dyn_args is None and node.dyn_kwargs is None
        return plain and (arguments is None or len(node.args) == arguments)


def _is_name(node: nodes.Node, name: str | None) -> bool:
    from jinja2 import nodes

    return isinstance(node, nodes.Name) and node.name == name


def _uses_name(body: list[nodes.Node], name: str) -> bool:
    from jinja2 import nodes

    return any(found.name == name for node in body for found in node.find_all(nodes.Name))


def _joined(ops: list[Any]) -> tuple[Any, ...]:
    """Return ``ops`` with neighbouring texts joined into one."""
    joined: list[Any] = []
    for op in ops:
        if op[0] == TEXT and joined and joined[-1][0] == TEXT:
            joined[-1] = (TEXT, joined[-1][1] + op[1])
        else:
            joined.append(op)
    return tuple(joined)


# A flat loop body: its pieces in UTF-8 (the texts, b"" where a value goes) and each value's place
# (index, kind, field, option).
_Flat = tuple[list[bytes], tuple[tuple[int, str, str, str | None], ...]]


def _loop_bodies(ops: Any) -> list[tuple[Any, ...]]:
    """Return the body of every loop in ``ops`` (inside an ``if`` too)."""
    bodies: list[tuple[Any, ...]] = []
    for op in ops:
        if op[0] == LOOP:
            bodies += [op[2], *_loop_bodies(op[2])]
        elif op[0] == IF:
            bodies += _loop_bodies(op[2]) + _loop_bodies(op[3])
    return bodies


def _flat(body: tuple[Any, ...]) -> _Flat | None:
    """Return ``body`` as pieces and places, or ``None`` if it holds more than texts, fields and ticks."""
    texts, slots = [], []
    for op in body:
        if op[0] == TEXT:
            texts.append(op[1])
        elif op[0] == FIELD:
            slots.append((len(texts), FIELD, op[1], None))
            texts.append("")
        elif op[0] == TICK_FIELD:
            slots.append((len(texts), TICK_FIELD, op[1], op[2]))
            texts.append("")
        else:
            return None
    return [text.encode("utf-8") for text in texts], tuple(slots)


def _row_fields(ops: Any) -> set[str]:
    fields: set[str] = set()
    for op in ops:
        if op[0] in {FIELD, TICK_FIELD}:
            fields.add(op[1])
        elif op[0] == LOOP:
            fields |= _row_fields(op[2])
        elif op[0] == IF:
            fields |= {op[1][1]} if op[1][0] == FIELD else set()
            fields |= _row_fields(op[2]) | _row_fields(op[3])
    return fields


# Programs as data, and back (checked: a cache file may hold anything).


def _data(ops: tuple[Any, ...]) -> list[Any]:
    result: list[Any] = []
    for op in ops:
        if op[0] == LOOP:
            result.append([LOOP, op[1], _data(op[2])])
        elif op[0] == IF:
            result.append([IF, list(op[1]), _data(op[2]), _data(op[3])])
        else:
            result.append(list(op))
    return result


_KINDS = {TEXT: TEXT, VALUE: VALUE, FIELD: FIELD, TICK: TICK, TICK_FIELD: TICK_FIELD, LOOP: LOOP, IF: IF}


def _ops(data: Any, in_loop: bool = False) -> tuple[Any, ...]:
    """Return the operations ``data`` holds, checked: a row's field only inside the loop over the rows."""
    if not isinstance(data, list):
        raise ValueError("not a program")
    ops: list[Any] = []
    for op in data:
        if not isinstance(op, list) or not op or op[0] not in _KINDS:
            raise ValueError("not a program")
        kind = _KINDS[op[0]]  # the interned constant: ``_Run.out`` compares kinds by identity
        if kind in {FIELD, TICK_FIELD} and not in_loop:
            raise ValueError("not a program")
        if kind in {TEXT, VALUE, FIELD} and len(op) == 2:
            ops.append((kind, _text(op[1])))
        elif kind in {TICK, TICK_FIELD} and len(op) == 3:
            ops.append((kind, _text(op[1]), _text(op[2])))
        elif (kind == LOOP and len(op) == 3 and not in_loop
              and (op[1] is None or op[1] == DEFAULT or type(op[1]) is int)):
            ops.append((LOOP, op[1], _ops(op[2], in_loop=True)))
        elif (kind == IF and len(op) == 4 and isinstance(op[1], list) and len(op[1]) == 2
              and (op[1][0] == VALUE or (op[1][0] == FIELD and in_loop))):
            ops.append((IF, (_KINDS[op[1][0]], _text(op[1][1])), _ops(op[2], in_loop), _ops(op[3], in_loop)))
        else:
            raise ValueError("not a program")
    return tuple(ops)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not a program")
    return value
