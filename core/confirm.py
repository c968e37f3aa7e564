"""Irreversible acts ask first: the same POST without `confirmed=1` shows what will happen (a confirm page that
re-posts the same fields), and only the confirmed POST acts. Works without JavaScript."""

from django.shortcuts import render

CONFIRM_FIELD = "confirmed"


def confirmed(request) -> bool:
    return request.POST.get(CONFIRM_FIELD) == "1"


def confirm_page(
    request, *, title: str, summary: list[str], consequences: list[str], button: str, cancel_url: str
):
    """The page that asks: what the act is about (summary), what it will do (consequences), confirm or cancel."""
    fields = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", CONFIRM_FIELD)
        for value in request.POST.getlist(name)
    ]
    return render(
        request,
        "partials/confirm.html",
        {
            "title": title,
            "summary": summary,
            "consequences": consequences,
            "button": button,
            "cancel_url": cancel_url,
            "fields": fields,
            "action": request.get_full_path(),
        },
    )
