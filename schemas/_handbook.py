"""What a form tells the handbook about itself: its duties, its market manager's review, its section of a chapter.

A form declares them on its class (``FormSchema.duties``, ``review``, ``workflow``), so that
the handbook's chapter of deadlines (第六章) and its chapter of work flows (第三章) gain a
form's lines when the form is added, and nothing in ``toolkit/`` or the handbook's sources
lists forms by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Formatter

from manualkit.schemas._policy import Policy

# Texts a duty's ``when`` may place besides the policy's own: how a deadline moves past holidays.
DUTY_TEXTS = ("postpone",)


@dataclass(frozen=True, slots=True)
class Duty:
    """One line of the handbook's calendar: what is done, how often or by when, and the manual's clause.

    ``when`` places policy values as ``{key}`` (and ``{postpone}``: "（遇节假日顺延）" when the
    policy postpones deadlines), so the calendar states the numbers the validator enforces.
    Two forms declaring a duty of the same ``what`` share one line of the calendar.
    """

    what: str
    when: str
    basis: str

    def __post_init__(self) -> None:
        placed = {key for _, key, _, _ in Formatter().parse(self.when) if key}
        if unknown := placed - set(Policy.model_fields) - set(DUTY_TEXTS):
            raise TypeError(f"duty {self.what!r}: no policy key {sorted(unknown)}")


@dataclass(frozen=True, slots=True)
class Review:
    """What the market manager does with the form: a line of the handbook's table of reviews (第六章).

    ``when`` places policy values as a ``Duty`` does; ``fields`` are the fields the market manager fills in.
    """

    what: str
    when: str
    fields: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        placed = {key for _, key, _, _ in Formatter().parse(self.when) if key}
        if unknown := placed - set(Policy.model_fields):
            raise TypeError(f"review {self.what!r}: no policy key {sorted(unknown)}")


@dataclass(frozen=True, slots=True)
class Workflow:
    """A form's section of a handbook chapter, written in the form's folder (``forms/<form>/<file>``).

    The file is Markdown starting with a ``##`` heading and may use the handbook's placeholders
    (``{{ policy.key }}``, ``{{ form('id') }}``, ``{{ field('id', 'name') }}``), as the chapters
    do; it is appended to the chapter whose title carries the anchor ``chapter`` (``workflows``:
    第三章 工作流程), in the order of the forms.
    """

    chapter: str = "workflows"
    file: str = "workflow.md"
