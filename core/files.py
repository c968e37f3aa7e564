"""The one way a private file leaves the server (evidence, photos, reports, dossiers, exports).

Every download gets the same headers: `Content-Disposition` with an ASCII `filename` and the exact name as an
RFC 5987 `filename*`, `X-Content-Type-Options: nosniff` (the browser never guesses a type), and
`Cache-Control: private, no-store` (no shared or disk cache keeps a copy). Who may download is the view's
check, before it calls this; writing the download to the audit trail is the view's (or its service's) too.
"""

import mimetypes
import re
import unicodedata
from urllib.parse import quote

from django.http import FileResponse, HttpResponse

_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/;]')


def _ascii_name(filename: str) -> str:
    """A plain-ASCII stand-in for clients that ignore `filename*` (accents dropped, the rest as `_`)."""
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    plain = _UNSAFE.sub("_", plain).strip(" .")
    stem, dot, ext = filename.rpartition(".")
    if not plain.replace("_", "").replace(".", "").strip():
        plain = f"download.{_UNSAFE.sub('_', ext)}" if dot and ext.isascii() else "download"
    return plain[:150]


def content_disposition(filename: str, *, inline: bool = False) -> str:
    name = _UNSAFE.sub("_", filename)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{_ascii_name(filename)}\"; filename*=UTF-8''{quote(name, safe='')}"


def serve_private_file(
    source, *, filename: str, content_type: str | None = None, inline: bool = False
) -> HttpResponse:
    """A response for a stored file (a `FieldFile` or an open binary file) or for bytes made in memory.

    `inline=True` lets the browser show it in the page (photos, evidence previews); otherwise it is saved.
    """
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if isinstance(source, bytes | bytearray):
        response = HttpResponse(bytes(source), content_type=content_type)
    else:
        handle = source.open("rb") if hasattr(source, "open") else source
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
