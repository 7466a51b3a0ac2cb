"""YAML for records typed by people: numbers that are really codes or times stay text.

PyYAML follows YAML 1.1, where ``0430100`` is an octal number (143424) and
``9:30`` a base-60 number (570). In a data file these are a customer code
whose leading zero matters and a time of day; reading them as numbers would
silently change a code or turn a time into nonsense. Only such integers are
kept as written; ``25``, ``0`` and ``-3`` are still numbers.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

# Integers YAML 1.1 reads in another base: leading zero (octal), 0x/0b, or with colons (base 60).
_NOT_DECIMAL = re.compile(r"[-+]?(?:0[0-9_]+|0[xXbBoO][0-9a-fA-F_]+|[0-9_]+(?::[0-9_]+)+)")


class _DataLoader(yaml.SafeLoader):
    """The safe loader, except that integers not written in plain decimal stay text."""


def _decimal_int_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    text = loader.construct_scalar(node)
    if _NOT_DECIMAL.fullmatch(text.strip()):
        return text
    return loader.construct_yaml_int(node)


_DataLoader.add_constructor("tag:yaml.org,2002:int", _decimal_int_or_text)


def load_data(text: str) -> Any:
    """Return the YAML document ``text`` with codes like ``0430100`` and times like ``9:30`` as text.

    Raises:
        yaml.YAMLError: ``text`` is not YAML.
    """
    return yaml.load(text, Loader=_DataLoader)  # safe: _DataLoader is a SafeLoader
