"""The one PDF helper: a Django template rendered to A4 PDF by WeasyPrint, Noto CJK fonts, one reused
FontConfiguration per thread (font lookup and subsetting caches survive between reports)."""

import threading

from django.conf import settings
from django.template.loader import render_to_string

_local = threading.local()


def font_configuration():
    from weasyprint.text.fonts import FontConfiguration

    config = getattr(_local, "font_config", None)
    if config is None:
        config = _local.font_config = FontConfiguration()
    return config


def render_html(html: str) -> tuple[bytes, int]:
    """HTML → (PDF bytes, page count)."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(font_config=font_configuration())
    return document.write_pdf(), len(document.pages)


def render_pdf(template_name: str, context: dict) -> tuple[bytes, int]:
    """A template extending `pdf/base.html` → (PDF bytes, page count)."""
    return render_html(render_to_string(template_name, context))
