from django.http import HttpResponse

from core.files import serve_private_file

from ..exports import XLSX

BUREAU = "bureau"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return serve_private_file(content, filename=filename, content_type=XLSX)


def refuse_into(form, exc) -> None:
    """Put a refused transition's / service's message on the form field it names (or on the form)."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
