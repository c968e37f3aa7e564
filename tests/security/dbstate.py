"""Nothing written when a request is refused: every row of every table, before and after."""

from django.apps import apps

# Sessions change with every signed-in request (the idle-timeout clock); they are not the application's data.
IGNORED = {"sessions.session"}


def snapshot() -> dict[str, list[tuple]]:
    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in IGNORED or model._meta.proxy or not model._meta.managed:
            continue
        state[label] = sorted(map(repr, model._base_manager.order_by("pk").values_list()))
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))
