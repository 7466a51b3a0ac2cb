"""The group's commands, known by name from the package's modules and imported only when one is used.

``manualkit fill`` imports ``cli/fill.py`` and no other command's module; the top help,
which lists every command's one-line help, imports them all. A command named
``new-form`` lives in ``new_form.py``; modules starting with ``_`` are not commands.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Iterator, MutableMapping

import click


class LazyCommands(MutableMapping[str, click.Command]):
    """A name → command mapping whose values are imported on first access (as ``click.Group.commands``)."""

    def __init__(self, package: str, path: Iterable[str]) -> None:
        self._package = package
        self._modules = {info.name.replace("_", "-"): info.name
                         for info in pkgutil.iter_modules(path) if not info.name.startswith("_")}
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            if name not in self._modules:
                raise KeyError(name)
            command: click.Command = importlib.import_module(f"{self._package}.{self._modules[name]}").command
            if command.name != name:  # a programming error: the module's name is the command's
                raise RuntimeError(f"{self._modules[name]}.py defines command {command.name!r}, not {name!r}")
            self._loaded[name] = command
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        found = self._loaded.pop(name, None) is not None
        if self._modules.pop(name, None) is None and not found:
            raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return name in self._loaded or name in self._modules

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._modules.keys() | self._loaded.keys()))

    def __len__(self) -> int:
        return len(self._modules.keys() | self._loaded.keys())
