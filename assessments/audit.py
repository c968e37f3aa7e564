"""The audit actions of the enterprise portal and the lifecycle: labels and sentences (core.actions), and how
their parameters read (a field key as the question's or figure's label, a state as its name)."""

from django.utils.translation import gettext_noop as _

from core.actions import action, param

from .forms import FieldInputError, field_key
from .framework import FrameworkError, get_edition
from .lifecycle import TRANSITIONS
from .models import ApplicationKind, ApplicationState


def field_label(key: str, params: dict) -> str:
    """A questionnaire field key as people know it: the question's number as the questionnaire shows it ("5. …",
    never the item code), "S01 …" (the framework's own scenario number), the figure's label (and year/source)."""
    try:
        edition = get_edition(params.get("edition") or None)
        fk = field_key(edition, key)
    except (FieldInputError, FrameworkError, KeyError):
        return key
    if fk.kind == "item":
        item = edition.item(key)
        return f"{item.number}. {item.name}"
    if fk.kind in ("criterion", "scenario_none"):
        return f"{fk.code} {edition.scenario(fk.code).name}"
    figure = {f.path: f for f in edition.fields}[fk.code]
    if fk.kind == "year":
        return f"{figure.label} ({fk.index + 1})"
    if fk.kind == "energy":
        names = {s.code: s.name for s in edition.energy_sources}
        return f"{figure.label} · {names.get(fk.source, fk.source)}"
    return figure.label


def _state(code, params) -> str:
    return str(ApplicationState(code).label)


param("field", field_label)
param("from", _state)
param("to", _state)
param("application_kind", lambda code, params: ApplicationKind(code).label)

action("assessment.start", _("开始新的自评"), _("新的自评（由上次自评预填）"))
action("assessment.answer", _("修改自评"), _("修改自评：%(field)s"))
action("assessment.fill", _("整体填写自评"))
action("evidence.upload", _("上传佐证材料"), _("上传佐证材料：%(target)s %(name)s"))
action("evidence.remove", _("删除佐证材料"), _("删除佐证材料：%(name)s"))
action("evidence.download", _("下载佐证材料"), _("下载佐证材料：%(name)s"))
action("application.create", _("创建申请"), _("创建%(application_kind)s %(number)s"))
for _spec in TRANSITIONS.values():
    action(f"application.{_spec.action}", _spec.label, _("%(action)s：%(to)s"))
