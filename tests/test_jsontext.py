"""The fast JSON layout writes exactly what ``json.dumps(..., ensure_ascii=False, indent=2)`` writes."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from manualkit.toolkit.jsontext import Columns, dumps

TRICKY = ['', '"', ',"', '", "', '\\', '\\"', 'a,"b": 1', '第8行 “客户”，', '\n\t', '\u2028', '😀', '{}', '[1, 2]']


def _value(rng: random.Random, depth: int) -> object:
    kind = rng.randrange(9 if depth < 4 else 6)
    if kind == 0:
        return rng.choice(TRICKY) + rng.choice(TRICKY)
    if kind == 1:
        return rng.randint(-10**6, 10**6)
    if kind == 2:
        return rng.choice([0.5, -1e-7, 1e22, 3.0])
    if kind == 3:
        return rng.choice([True, False, None])
    if kind in (4, 5):
        return rng.choice(TRICKY)
    if kind == 6:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    if kind == 7:
        return tuple(_value(rng, depth + 1) for _ in range(rng.randrange(3)))
    return {rng.choice(TRICKY) + str(n): _value(rng, depth + 1) for n in range(rng.randrange(5))}


@pytest.mark.parametrize("seed", range(200))
def test_same_text_as_json_dumps(seed: int) -> None:
    obj = _value(random.Random(seed), 0)
    assert dumps(obj) == json.dumps(obj, ensure_ascii=False, indent=2)


def test_a_report_of_findings() -> None:
    finding = {"code": "time_overlap", "severity": "error", "message": '第8行 "09:00-09:30" 与客户，重叠',
               "sheet": "签到簿", "cell": "B8", "row": 8, "field": "arrived_at", "label": "到达时间",
               "value": None, "clause": "§4.1.4"}
    report = {"files": [{"path": "a.xlsx", "form": "sign-in-book", "valid": False, "errors": [finding] * 3},
                        {"path": "b.xlsx", "form": None, "valid": True, "errors": []}],
              "summary": {"files": 2, "valid": 1, "by_code": {1: 2}}}
    assert dumps(report) == json.dumps(report, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("text", ['x",', '",', '\\",', 'a",b', '%s', '%(x)s', '"', ','])
def test_values_ending_like_a_separator(text: str) -> None:
    """A value may end in ``",`` (a quote, then a comma): its text must not be cut there."""
    objects = [{"a": text, "b": 1, "%": text}, {"a": text + text, "b": None, "%": 2.5}] * 5
    for obj in ({"files": [{"a": text, "b": 1}]}, objects, {"errors": objects}):
        assert dumps(obj) == json.dumps(obj, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("seed", range(100))
def test_lists_of_alike_objects(seed: int) -> None:
    """The column-wise writer of a file's findings: many flat objects with the same keys, and near misses."""
    rng = random.Random(seed)
    keys = [rng.choice(TRICKY) + str(n) for n in range(rng.randrange(1, 6))]
    rows: list[object] = [{key: _value(rng, 4) for key in keys} for _ in range(rng.randrange(8, 30))]
    if rng.random() < 0.3:
        rows[rng.randrange(len(rows))] = rng.choice([{}, {"other": 1}, [1], {keys[0]: [1, 2]}, "text"])
    assert dumps({"errors": rows}) == json.dumps({"errors": rows}, ensure_ascii=False, indent=2)


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(alphabet=st.sampled_from(
        ['"', ",", ":", " ", "\\", "\n", "[", "]", "{", "}", "a", "第", "😀", "\u2028"])),
    lambda inner: st.lists(inner, max_size=12) | st.dictionaries(st.text(max_size=4), inner, max_size=6),
    max_leaves=60,
)


@settings(max_examples=400, deadline=None)
@given(_JSON_VALUES)
def test_any_value_is_written_as_json_dumps_writes_it(obj: object) -> None:
    """The whole class of the bug a value ending in '",' once hit: any text of separators, any nesting."""
    assert dumps(obj) == json.dumps(obj, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("seed", range(100))
def test_columns_are_written_as_their_objects(seed: int) -> None:
    """``Columns`` (a list of flat objects given key by key) is written as that list, few or many, scalars or not."""
    rng = random.Random(seed)
    keys = tuple(dict.fromkeys(rng.choice(TRICKY) + str(n) for n in range(rng.randrange(1, 6))))
    count = rng.choice([0, 1, 7, 8, 30])
    nested = rng.random() < 0.2
    columns = tuple([_value(rng, 0 if nested else 4) for _ in range(count)] for _ in keys)
    table = Columns(keys, columns)
    objects = table.objects()
    assert len(objects) == count
    assert dumps({"errors": table, "n": count}, level=1) == dumps({"errors": objects, "n": count}, level=1)
    assert dumps(table) == json.dumps(objects, ensure_ascii=False, indent=2)
