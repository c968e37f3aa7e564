"""Point 1 of issue 10: official PDFs cannot be forged through the data they show.

An enterprise name that closes the old CSS string and adds `.level::after{content:'四级（伪造）'}`, plants
URLs for WeasyPrint to fetch and carries a control character: each PDF kind (自评报告, 评测报告, 等级证书), read
back with pypdf, shows the name as text and the real level, and a listener on 127.0.0.1 receives no request."""

import io
import socket
import threading

import pytest
from pypdf import PdfReader

from documents.pdf import render_html, render_pdf
from documents.presenters import PRESENTERS
from documents.reports import TEMPLATES, content_for
from tests.documents.cases import add_proposal, approve, make_case

pytestmark = pytest.mark.django_db


class Listener:
    """A TCP server on 127.0.0.1 that counts the connections it accepts (and answers a tiny HTTP 200)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.hits.append(conn.recv(4096))
                    conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/css\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    self.hits.append(b"")

    def close(self):
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def forged_name(port: int) -> str:
    """The attack of the issue: close the CSS string (a form feed is a CSS newline) and the @page rule, restyle
    the level, and have WeasyPrint fetch from the listener (CSS url() and HTML tags)."""
    url = f"http://127.0.0.1:{port}"
    return (
        f"某公司\f;}}}}.level::after{{content:'四级（伪造）'}}.muted{{background:url({url}/a.png)}}"
        f'<img src="{url}/b.png"><link rel=stylesheet href="{url}/c.css">'
    )[:200]


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "".join("".join(page.extract_text() for page in reader.pages).split())


def squeeze(text: str) -> str:
    return "".join(text.replace("\f", " ").split())


@pytest.fixture
def forged_case(personas, listener):
    ent = personas.enterprise
    ent.name = forged_name(listener.port)
    ent.save()
    app = make_case(ent, by=personas.owner, agency=personas.agency, high=False)
    add_proposal(app, admin=personas.agency_admin, experts=[personas.expert])
    approve(app, by=personas.bureau)
    return app


@pytest.mark.parametrize(
    ("kind", "level_key"),
    [("self", "level_name"), ("review", "level_name"), ("certificate", "level_name")],
)
def test_a_forged_name_shows_as_text_and_the_real_level_stands(forged_case, listener, kind, level_key):
    context = PRESENTERS[kind](content_for(forged_case, kind))
    real_level = context[level_key]
    assert "四级" not in real_level  # the case is graded lower: a forgery would be visible
    pdf, _pages = render_pdf(TEMPLATES[kind], context)
    text = text_of(pdf)
    name = squeeze(forged_case.enterprise.name)
    assert name in text  # the name is printed as the text it is
    assert squeeze(real_level) in text
    assert "伪造" not in text.replace(name, "")  # the forged level appears nowhere but inside the name itself
    assert listener.hits == []


def test_the_fetcher_refuses_everything_but_bundled_files(listener, settings, tmp_path):
    url = f"http://127.0.0.1:{listener.port}"
    secret = tmp_path / "secret.css"
    secret.write_text("h1 { color: red }")
    html = f"""<!doctype html><html><head>
    <link rel="stylesheet" href="{url}/sheet.css"><link rel="stylesheet" href="{secret.as_uri()}">
    <style>@import url("{url}/import.css"); body {{ background: url({url}/bg.png) }}</style></head>
    <body><img src="{url}/img.png"><img src="https://127.0.0.1:{listener.port}/s.png">
    <img src="ftp://127.0.0.1:{listener.port}/f.png"><img src="file:///etc/passwd"><p>x</p></body></html>"""
    render_html(html)
    assert listener.hits == []

    from documents.pdf import url_fetcher

    fetcher = url_fetcher()
    bundled = settings.STATICFILES_DIRS[0] / "css" / "site.css"
    assert fetcher.fetch(bundled.as_uri()).read() == bundled.read_bytes()
    assert fetcher.fetch("data:image/png;base64,iVBORw0KGgo=").read().startswith(b"\x89PNG")
    for refused in (
        f"{url}/x",
        secret.as_uri(),
        "file:///etc/passwd",
        (bundled.parent / ".." / ".." / "manage.py").as_uri(),
        "data:text/css,h1{}",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(refused)
    assert listener.hits == []


def test_the_listener_does_receive_what_weasyprint_fetches_by_default(listener):
    """The control: WeasyPrint's own fetcher does reach the listener, so the tests above can fail."""
    from weasyprint import HTML

    HTML(string=f'<link rel="stylesheet" href="http://127.0.0.1:{listener.port}/c.css"><p>x</p>').render()
    assert len(listener.hits) == 1
