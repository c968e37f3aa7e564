"""What the audit trail's action codes mean to people: a label and a sentence per code, rendered when the
trail is read, in the reader's language.

An event stores facts: an action code, its parameters (codes, ids, numbers, names of things as they were, and
what a person typed exactly as typed) and a snapshot of the actor. Each app registers the codes it writes, in
its `audit.py` (loaded by its AppConfig.ready):

    from django.utils.translation import gettext_noop as _
    from core.actions import action, param

    action("evidence.upload", _("上传佐证材料"), _("上传佐证材料：%(target)s %(name)s"))
    param("state", lambda code, params: ApplicationState(code).label)   # a code shown as its label

A sentence's `%(name)s` is filled from the event's parameters (`%(action)s` is the action's label); a parameter with a registered formatter is shown
through it (a state code as the state's name, a field key as the field's label), at read time. An event whose
sentence cannot be filled (a row written before this, with its text in `summary`) shows its stored text.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext


@dataclass(frozen=True)
class Action:
    code: str
    label: str  # a msgid (gettext_noop)
    sentence: str = ""  # a msgid with %(param)s placeholders; empty: the label is the sentence


ACTIONS: dict[str, Action] = {}
PARAMS: dict[str, Callable[[Any, dict], str]] = {}


def action(code: str, label: str, sentence: str = "") -> None:
    ACTIONS[code] = Action(code, label, sentence)


def param(name: str, to_text: Callable[[Any, dict], str]) -> None:
    """Show parameter `name` through `to_text(value, params)` (e.g. a code as its label), at read time."""
    PARAMS[name] = to_text


def label_of(code: str) -> str:
    """The action's name in the reader's language (an unregistered code: the code itself)."""
    spec = ACTIONS.get(code)
    return gettext(spec.label) if spec else code


def param_text(name: str, value, params: dict | None = None) -> str:
    if value is None or value == "":
        return ""
    formatter = PARAMS.get(name)
    if formatter is not None:
        try:
            return str(formatter(value, params or {}))
        except (KeyError, ValueError, LookupError, TypeError):
            return str(value)
    if isinstance(value, list | tuple):
        return gettext("、").join(str(v) for v in value)
    return str(value)


class _Values(dict):
    def __missing__(self, key):
        raise KeyError(key)


def render(code: str, params: dict, fallback: str = "") -> str:
    """The sentence of one event in the reader's language."""
    spec = ACTIONS.get(code)
    if spec is None:
        return fallback or code
    if not spec.sentence:
        return gettext(spec.label)
    params = params or {}
    values = _Values({k: param_text(k, v, params) for k, v in params.items()})
    values["action"] = gettext(spec.label)
    try:
        return gettext(spec.sentence) % values
    except (KeyError, TypeError, ValueError):
        return fallback or gettext(spec.label)
