"""The English locale: pages switch to English, and the committed catalogue (locale/en) is complete and compiled.

Official rule texts (the framework's questions and scenario criteria) and user data (enterprise and person
names) stay Chinese; the page furniture around them - navigation, headings, labels, buttons - must not.
"""

import gettext
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]")
PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[sdf]|%[sdf]|\{[A-Za-z_]*\}")
# The language switcher offers Chinese in Chinese; everything else in the page furniture is translated.
SWITCHER = "中文"


class _Furniture(HTMLParser):
    """Collects the text of the navigation, the footer, headings, labels, buttons, table headers and <title>."""

    TAGS = {"nav", "footer", "title", "h1", "h2", "h3", "h4", "h5", "h6", "label", "button", "th", "legend"}

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.stack = []
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in self.TAGS:
            self.stack.append(tag)
            self.depth += 1

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
            self.depth -= 1

    def handle_data(self, data):
        if self.depth > 0 and data.strip():
            self.parts.append(data.strip())


def furniture(html: str) -> list[str]:
    parser = _Furniture()
    parser.feed(html)
    return parser.parts


def untranslated(html: str, *data: str) -> list[str]:
    """Texts of the page furniture that still contain Chinese, once user data (`data`) is taken out."""
    found = []
    for text in furniture(html):
        for d in (SWITCHER, *data):
            text = text.replace(d, "")
        if CJK.search(text):
            found.append(text)
    return found


def english(client):
    """Switch a client to English the way a user does: the switcher posts to set_language (a cookie)."""
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    return client


# --- public pages ------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", ["Shunyi District SME Digital Level Assessment Platform", "Verify a level certificate"]),
        (reverse("accounts:login"), ["Sign in", "Forgot password?"]),
        (
            reverse("accounts:register"),
            [
                "Enterprise registration",
                "Unified Social Credit Code",
                "Industry",
                "Confirm password",
                "Register",
            ],
        ),
        (
            reverse("verify:verify"),
            ["Level certificate verification", "Enter the certificate number", "Verify"],
        ),
    ],
)
def test_public_pages_in_english_by_accept_language(client, url, expected):
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    for text in expected:
        assert text in html, text
    for nav in ["Certificate verification", "Sign in", "Enterprise registration", "中文"]:
        assert nav in html, nav
    # The whole page, not just the furniture: nothing of these pages is user data.
    assert untranslated(html) == []
    body = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", html, flags=re.S).replace(
        SWITCHER, ""
    )
    assert not CJK.search(body), CJK.findall(body)


@pytest.mark.django_db
def test_the_switcher_turns_the_site_english_and_back(client):
    assert "企业注册" in client.get("/").content.decode()
    english(client)
    html = client.get(reverse("accounts:register")).content.decode()
    assert "<h1" in html and "Enterprise registration</h1>" in html
    assert "Select an industry" in html and "Software and information technology services" in html
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "企业注册" in client.get(reverse("accounts:register")).content.decode()


@pytest.mark.django_db
def test_form_errors_are_english(client):
    english(client)
    html = client.post(
        reverse("accounts:login"), {"username": "nobody", "password": "wrong"}
    ).content.decode()
    assert "Incorrect username or password" in html
    html = client.post(reverse("accounts:register"), {"credit_code": "123"}).content.decode()
    assert "The Unified Social Credit Code must be 18 characters long; 3 entered." in html


@pytest.mark.django_db
def test_unknown_certificate_in_english(client):
    english(client)
    html = client.get(reverse("verify:number", args=["NOPE-0000"])).content.decode()
    assert "Certificate number not found" in html
    assert untranslated(html) == []


# --- an enterprise user's pages ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("assessments:home", False, ["My self-assessment", "Assessment application", "Enterprise home"]),
        ("assessments:questionnaire", False, ["Digital level self-assessment", "Live assessment result"]),
        ("accounts:profile", False, ["Profile", "Email status", "Change password"]),
        ("accounts:my_enterprise", False, ["Enterprise information"]),
        ("accounts:enterprise", True, ["Enterprise information", "Registered address", "Enterprise size"]),
        ("accounts:staff", True, ["Staff accounts", "Add colleague"]),
        ("accounts:notifications", False, ["Notifications"]),
        ("accounts:password_change", False, ["Change password"]),
    ],
)
def test_enterprise_pages_in_english(client_for, personas, name, args, expected):
    client = english(client_for(personas.owner))
    url = reverse(name, args=[personas.enterprise.pk] if args else [])
    response = client.get(url, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    for text in expected:
        assert text in html, text
    for nav in ["Sign out", "Profile", "Certificate verification"]:
        assert nav in html, nav
    data = [personas.enterprise.name, personas.owner.full_name, personas.colleague.full_name]
    if name == "assessments:questionnaire":
        # The framework's official texts stay Chinese: only the navigation is checked here.
        html = html.split("<main", 1)[0]
    assert untranslated(html, *data) == []


def test_an_application_page_in_english(client_for, personas):
    app = factories.application(personas.enterprise, state="submitted", level=3, by=personas.owner)
    client = english(client_for(personas.owner))
    html = client.get(reverse("assessments:application", args=[app.pk])).content.decode()
    assert "Submitted" in html and "Self-assessed level" in html and "Level 3" in html
    home = client.get(reverse("assessments:home")).content.decode()
    assert "Level 3" in home
    assert untranslated(html, personas.enterprise.name, personas.owner.full_name) == []


def test_workflow_action_labels_are_translated_where_shown(client_for, personas):
    app = factories.application(personas.enterprise, state="submitted", level=3, by=personas.owner)
    html = english(client_for(personas.owner)).get(reverse("assessments:home")).content.decode()
    assert "Withdraw application" in html and "撤回申请" not in html
    # What is stored stays Chinese: the transition table itself is not translated.
    from assessments.lifecycle import TRANSITIONS

    assert TRANSITIONS["withdraw"].label == "撤回申请"
    assert app.pk


@pytest.mark.parametrize(
    ("who", "url", "expected"),
    [
        ("bureau", "/bureau/", ["Level distribution", "Export application list"]),
        ("bureau", "/bureau/samples/", ["Draw a sample", "Level 1", "Level 4"]),
        ("bureau", "/bureau/roster/", ["Pilot enterprise roster", "Import from Excel"]),
        ("agency_admin", "/review/", ["Assessment tasks of this agency", "Experts and fields of expertise"]),
        ("agency_admin", "/review/experts/", ["Experts of this agency"]),
        ("expert", "/review/", ["My assessment tasks"]),
    ],
)
def test_staff_pages_in_english(client_for, personas, who, url, expected):
    html = english(client_for(getattr(personas, who))).get(url).content.decode()
    for text in expected:
        assert text in html, text
    assert "1级" not in html
    user = getattr(personas, who)
    data = [user.full_name, personas.agency.name, personas.other_agency.name, "机构管理员"]
    if url == "/bureau/":
        html = html.split("<main", 1)[
            0
        ]  # the dashboard's charts name the framework's dimensions and scenarios
    assert untranslated(html, *data) == []


def test_the_same_pages_stay_chinese_by_default(client_for, personas):
    html = client_for(personas.owner).get(reverse("assessments:home")).content.decode()
    assert '<html lang="zh-CN">' in html
    assert "我的自评" in html and "My self-assessment" not in html


# --- the catalogue -----------------------------------------------------------------------------------------


def _unquote(line: str) -> str:
    body = line[line.index('"') + 1 : line.rindex('"')]
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes[m.group(1)], body)


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: {"flags", "msgid", "msgid_plural", "msgstr": [...]} (header excluded)."""
    entries, entry, field = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}, "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += _unquote(line)
            else:
                entry[field[0]] += _unquote(line)
        else:
            keyword = line.split(" ", 1)[0]
            if keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if "[" in keyword else 0
                field = ("msgstr", index)
                entry["msgstr"][index] = _unquote(line)
            else:
                field = (keyword,)
                entry[keyword] = _unquote(line)
    return [e for e in entries if e["msgid"] != ""]


@pytest.fixture(scope="module")
def catalogue():
    return read_po(PO)


def test_the_catalogue_is_complete(catalogue):
    assert len(catalogue) > 900
    assert not [e for e in catalogue if e["obsolete"]]
    assert not [e["msgid"] for e in catalogue if "fuzzy" in e["flags"]]
    empty = [e["msgid"] for e in catalogue if not all(s.strip() for s in e["msgstr"].values())]
    assert empty == []
    plural = [e for e in catalogue if "msgid_plural" in e]
    assert plural and all(sorted(e["msgstr"]) == [0, 1] for e in plural)
    # An English msgstr that is still Chinese is untranslated.
    still_chinese = [e["msgid"] for e in catalogue for s in e["msgstr"].values() if CJK.search(s)]
    allowed = {
        "表头应包含“统一社会信用代码”和“企业名称”两列（可下载模板）。",  # quotes the template's real column names
        "“无”不能与其他选项同时选择",  # 无: the option's text in the edition, which stays Chinese
        "未选择任何选项：请选择“无”（选项 0）或至少一个选项",
    }
    assert set(still_chinese) <= allowed
    assert "fuzzy" not in PO.read_text(encoding="utf-8")


def test_placeholders_and_markup_are_kept(catalogue):
    def shape(text):
        return sorted(PLACEHOLDER.findall(text)), sorted(re.findall(r"</?[a-z]+", text))

    wrong = []
    for e in catalogue:
        for index, text in e["msgstr"].items():
            source = e["msgid_plural"] if index and "msgid_plural" in e else e["msgid"]
            if shape(source) != shape(text):
                wrong.append((e["msgid"], text))
    assert wrong == []


def test_the_committed_mo_matches_the_po(catalogue):
    with MO.open("rb") as f:
        translations = gettext.GNUTranslations(f)
    catalog = translations._catalog
    for e in catalogue:
        if "msgid_plural" in e:
            for index, text in e["msgstr"].items():
                assert catalog[(e["msgid"], index)] == text
        else:
            assert catalog[e["msgid"]] == e["msgstr"][0], e["msgid"]
    singular = {key for key in catalog if isinstance(key, str) and key}
    plural = {key[0] for key in catalog if isinstance(key, tuple)}
    assert len(singular) + len(plural) == len(catalogue)


def test_msgfmt_check_passes(tmp_path):
    # gettext is one of the Debian packages scripts/bootstrap installs: a missing msgfmt fails here.
    assert shutil.which("msgfmt"), "msgfmt not found: run ./scripts/bootstrap (Debian package gettext)"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(PO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr
