"""A seeded fuzz loop: valid submissions with their zip parts and XML mutated at random (issue 16).

Whatever a mutation does, ``validate --annotate`` exits 0 or 1, prints no traceback, reports
every file, and leaves no half-written file: every annotated copy opens.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

from manualkit.toolkit.registry import get_form
from tests.conftest import sample
from tests.filled_workbooks import write_form

ROUNDS = 240
BATCH = 80  # files per validate run
SNIPPETS = [
    b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b'<c r="XFD1048576"><v>1</v></c>', b'<row r="99999999">', b"&#0;", b"\x00",
    b"\xff\xfe", b"]]>", b"<", b'<c t="s"><v>99999</v></c>', b'<c r="A1" t="e"><v>#REF!</v></c>', b"&amp;&lt;",
    b'<?xml version="1.0" encoding="UTF-16"?>', b'<c r="B2" t="inlineStr"><is><t>' + b"x" * 5000 + b"</t></is></c>",
    b'<definedName name="x">cmd|\' /C calc\'!A0</definedName>', b'<f>HYPERLINK("http://x.invalid")</f>', b"\xe4\xb8",
    b'<mergeCell ref="A1:XFD1048576"/>', b'<dimension ref="A1:XFD1048576"/>', b'<sst uniqueCount="99999999">',
]
Mutation = Callable[[random.Random, dict[str, bytes]], None]


def _pick(rng: random.Random, parts: dict[str, bytes]) -> str:
    return rng.choice(sorted(parts))


def _truncate(rng: random.Random, parts: dict[str, bytes]) -> None:
    name = _pick(rng, parts)
    parts[name] = parts[name][: rng.randrange(len(parts[name]) + 1)]


def _flip(rng: random.Random, parts: dict[str, bytes]) -> None:
    name = _pick(rng, parts)
    data = bytearray(parts[name])
    for _ in range(rng.randint(1, 8)):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    parts[name] = bytes(data)


def _insert(rng: random.Random, parts: dict[str, bytes]) -> None:
    name = _pick(rng, parts)
    data, snippet = parts[name], rng.choice(SNIPPETS)
    tags = [match.end() for match in re.finditer(rb">", data)] or [0]
    at = rng.choice(tags)
    parts[name] = data[:at] + snippet + data[at:]


def _renumber(rng: random.Random, parts: dict[str, bytes]) -> None:
    name = _pick(rng, parts)
    number = str(rng.choice([0, -1, 10**6, 10**7, 2**31, 2**64, 10**400])).encode()
    parts[name] = re.sub(rb'(r|count|uniqueCount|s|x|y)="\d+"', lambda m: m[1] + b'="' + number + b'"',
                         parts[name], count=rng.randint(1, 3))


def _drop(rng: random.Random, parts: dict[str, bytes]) -> None:
    del parts[_pick(rng, parts)]


def _swap(rng: random.Random, parts: dict[str, bytes]) -> None:
    first, second = _pick(rng, parts), _pick(rng, parts)
    parts[first], parts[second] = parts[second], parts[first]


def _retag(rng: random.Random, parts: dict[str, bytes]) -> None:
    name = _pick(rng, parts)
    old, new = rng.choice([(b"<c ", b"<x:c "), (b"<row", b"<col"), (b"<v>", b"<is>"), (b' r="', b" r='"),
                           (b"sheet", b"shet"), (b"Target=\"", b"Target=\"../../")])
    parts[name] = parts[name].replace(old, new, rng.randint(1, 5))


MUTATIONS: list[Mutation] = [_truncate, _flip, _insert, _renumber, _drop, _swap, _retag]


def _mutant(rng: random.Random, base: dict[str, bytes], out: Path) -> None:
    parts = dict(base)
    for _ in range(rng.randint(1, 3)):
        if parts:
            rng.choice(MUTATIONS)(rng, parts)
    with zipfile.ZipFile(out, "w", rng.choice([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    if rng.random() < 0.05:  # now and then the zip itself is damaged
        data = bytearray(out.read_bytes())
        data[rng.randrange(len(data))] ^= 0xFF
        out.write_bytes(bytes(data[: rng.randrange(len(data) // 2, len(data) + 1)]))


def test_mutated_submissions_never_break_the_batch(tmp_path: Path) -> None:
    record = sample("sign-in-book")
    record["rows"][0]["customer_signature"] = None  # invalid, so that readable mutants are annotated too
    with zipfile.ZipFile(write_form(get_form("sign-in-book"), record, tmp_path / "base.xlsx")) as archive:
        base = {info.filename: archive.read(info) for info in archive.infolist()}
    rng = random.Random(int(os.environ.get("MANUALKIT_FUZZ_SEED", "16")))  # another seed: another run
    for start in range(0, ROUNDS, BATCH):
        inbox, out = tmp_path / f"in{start}", tmp_path / f"out{start}"
        inbox.mkdir()
        for number in range(start, start + BATCH):
            _mutant(rng, base, inbox / f"m{number:03}.xlsx")
        result = subprocess.run([sys.executable, "-m", "manualkit", "validate", str(inbox), "--annotate", str(out),
                                 "--format", "json"], capture_output=True, text=True, check=False)
        assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr[-3000:]
        entries = json.loads(result.stdout)["files"]
        assert sorted(Path(entry["path"]).name for entry in entries) == sorted(p.name for p in inbox.iterdir())
        assert all(entry["valid"] or entry["errors"] for entry in entries)
        copies = sorted(out.iterdir()) if out.is_dir() else []
        assert len(copies) == sum(1 for entry in entries if entry["form"] and not entry["valid"]), result.stderr
        for copy in copies:
            assert copy.suffix == ".xlsx"
            load_workbook(copy, read_only=True).close()
