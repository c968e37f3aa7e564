from django.utils.functional import SimpleLazyObject

from .todo import todo_for


def todo(request):
    """The user's 待办 (supervision.todo): `todo_items` for the box on the staff homes, `todo_count` for the menu;
    computed once a request, and only where a template shows them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"todo_count": 0, "todo_items": []}
    items = SimpleLazyObject(lambda: todo_for(user))
    return {
        "todo_items": items,
        "todo_count": SimpleLazyObject(lambda: sum(i.get("count", 1) for i in items)),
    }
