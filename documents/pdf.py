"""The one PDF helper: a Django template rendered to A4 PDF by WeasyPrint, Noto CJK fonts, one reused
FontConfiguration per thread (font lookup and subsetting caches survive between reports).

No user data reaches a place WeasyPrint interprets: every value is HTML-escaped template context (the header and
footer too — running elements, `content: element(…)`, never CSS strings), and WeasyPrint fetches only through
`BundledFetcher`: the bundled static files and the image data: URIs the presenters generate; everything else
(http, https, ftp, files outside the static folders, …) is refused without a request."""

import gc
import logging
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.inputs import CONTROL_CHARACTERS

log = logging.getLogger(__name__)
_local = threading.local()

DATA_MEDIA_TYPES = ("image/png", "image/jpeg", "image/svg+xml")


class RefusedURL(ValueError):
    """WeasyPrint asked for a resource that is not bundled with the site."""


def static_roots() -> list[Path]:
    return [Path(p).resolve() for p in settings.STATICFILES_DIRS]


def _url_fetcher_class():
    from weasyprint.urls import URLFetcher

    class BundledFetcher(URLFetcher):
        """Serves file: URLs inside the static folders and image data: URIs; refuses every other URL."""

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower() if ":" in url else ""
            if scheme == "data":
                media = url[5:].split(",", 1)[0].split(";", 1)[0].strip().lower()
                if media in DATA_MEDIA_TYPES:
                    return super().fetch(url, headers)
            elif scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if path.is_file() and any(path.is_relative_to(root) for root in static_roots()):
                    return super().fetch(path.as_uri(), headers)
            log.warning("PDF rendering refused to fetch %.200r", url)
            raise RefusedURL(url[:200])

    return BundledFetcher


def url_fetcher():
    """A fetcher for one render (WeasyPrint keeps per-request state on it)."""
    cls = getattr(_local, "fetcher_class", None)
    if cls is None:
        cls = _local.fetcher_class = _url_fetcher_class()
    return cls(timeout=5, allow_redirects=False)


def font_configuration():
    from weasyprint.text.fonts import FontConfiguration

    config = getattr(_local, "font_config", None)
    if config is None:
        config = _local.font_config = FontConfiguration()
    return config


def base_url() -> str:
    return static_roots()[0].as_uri() + "/"


@contextmanager
def _collector_paused():
    """WeasyPrint makes a few hundred thousand short-lived objects per report (styles, boxes, line fragments):
    the cyclic collector would walk the young ones some forty times per 自评报告 (~7 ms, 3 % of the render) to
    find next to nothing. Paused for the render only; whatever cycles it left are collected as usual after."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def render_html(html: str) -> tuple[bytes, int]:
    """HTML → (PDF bytes, page count)."""
    from weasyprint import HTML

    with _collector_paused():
        # Control characters stored before the input policy refused them have no glyph and break the text layer.
        document = HTML(
            string=CONTROL_CHARACTERS.sub(" ", html), base_url=base_url(), url_fetcher=url_fetcher()
        ).render(font_config=font_configuration())
        return document.write_pdf(), len(document.pages)


def pager() -> str:
    """The footer "第 n 页 / 共 m 页" as HTML: the translated text escaped, the numbers as page counters."""
    text = escape(_("第 {page} 页 / 共 {pages} 页"))
    text = text.replace("{page}", '<span class="page-number"></span>')
    return mark_safe(text.replace("{pages}", '<span class="page-count"></span>'))  # noqa: S308 - escaped above


def render_pdf(template_name: str, context: dict) -> tuple[bytes, int]:
    """A template extending `pdf/base.html` → (PDF bytes, page count)."""
    return render_html(render_to_string(template_name, {**context, "pager": pager()}))
