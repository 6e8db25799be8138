"""The zh-hans translation is complete, compiled and in use; English stays selectable.

The .po/.mo files under ``locale/`` are committed (a fresh machine needs no gettext), so these
tests guard that they are complete, not fuzzy, compiled from the current .po, and that they cover
every translatable string of the code (an approximation of ``makemessages`` that needs no xgettext).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.translation.template import templatize

REPO = Path(settings.BASE_DIR)
CODE = REPO / "carebridge"
LOCALE = REPO / "locale"
ZH_PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
ZH_MO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.mo"
LOCALES = ["zh_Hans", "en"]

# Kept out of the message catalogue, as in the makemessages command of the Makefile: the statistics
# package and the analysts' command line speak English (their JSON keys and messages are a contract).
EXCLUDED_DIRS = {"migrations", "tests", "__pycache__"}
EXCLUDED_PATHS = {("insights", "stats"), ("insights", "cli")}

# Python gettext functions as makemessages passes them to xgettext: name -> (context?, plural?).
PY_FUNCS = {
    "_": (False, False),
    "gettext": (False, False),
    "gettext_lazy": (False, False),
    "gettext_noop": (False, False),
    "ngettext": (False, True),
    "ngettext_lazy": (False, True),
    "pgettext": (True, False),
    "pgettext_lazy": (True, False),
    "npgettext": (True, True),
    "npgettext_lazy": (True, True),
}
PLACEHOLDER_RE = re.compile(r"%\((\w+)\)[sd]|%[sd]")
# templatize() turns translation tags into e.g. `` gettext(u'Log in') `` / `` ngettext(u'a', u'b', count) ``.
PY_STR = r"""u(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
TEMPLATIZED_CALL_RE = re.compile(rf" (gettext|ngettext|pgettext|npgettext)\(((?:{PY_STR}, )*{PY_STR})")
TEMPLATE_CONSTANT_RE = re.compile(r"""\b_\(((?:"[^"]*")|(?:'[^']*'))\)""")

Key = tuple[str, str, str]  # (msgctxt, msgid, msgid_plural)


def _key(entry: polib.POEntry | polib.MOEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def _live(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete]


def _in_scope(path: Path) -> bool:
    parts = path.relative_to(CODE).parts
    return not EXCLUDED_DIRS.intersection(parts) and parts[:2] not in EXCLUDED_PATHS


def _python_msgids(path: Path) -> set[Key]:
    found: set[Key] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = getattr(func, "id", None) or getattr(func, "attr", None)  # `_()` or `translation.gettext()`
        if name not in PY_FUNCS:
            continue
        has_context, has_plural = PY_FUNCS[name]
        wanted = 1 + has_context + has_plural
        args = node.args[:wanted]
        values = [a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if len(values) < wanted:
            continue  # a variable (e.g. `_(message)`): nothing to extract
        context = values.pop(0) if has_context else ""
        found.add((context, values[0], values[1] if has_plural else ""))
    return found


def _template_msgids(path: Path) -> set[Key]:
    found: set[Key] = set()
    text = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    for func, raw_args in TEMPLATIZED_CALL_RE.findall(text):
        values = list(ast.literal_eval(f"({raw_args},)"))
        context = values.pop(0) if func.startswith(("p", "np")) else ""
        found.add((context, values[0], values[1] if func.startswith("n") and len(values) > 1 else ""))
    for raw in TEMPLATE_CONSTANT_RE.findall(text):  # `_("...")` inside other tags' arguments
        found.add(("", raw[1:-1], ""))
    return found


def code_msgids() -> dict[Key, str]:
    """Every literal msgid of the code and templates, with where it was found."""
    found: dict[Key, str] = {}
    for path in sorted(CODE.rglob("*.py")):
        if _in_scope(path):
            found.update({k: str(path.relative_to(REPO)) for k in _python_msgids(path)})
    for path in sorted(CODE.rglob("*.html")):
        if _in_scope(path) and "templates" in path.parts:
            found.update({k: str(path.relative_to(REPO)) for k in _template_msgids(path)})
    return found


@pytest.fixture(scope="module")
def zh_po() -> polib.POFile:
    return polib.pofile(str(ZH_PO))


def test_the_zh_hans_header_declares_the_language_charset_and_one_plural_form(zh_po):
    assert zh_po.metadata["Language"] == "zh_Hans"
    assert "charset=UTF-8" in zh_po.metadata["Content-Type"]
    assert zh_po.metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    assert not zh_po.metadata_is_fuzzy


def test_every_zh_hans_entry_is_translated_and_not_fuzzy(zh_po):
    entries = _live(zh_po)
    assert len(entries) > 100
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    untranslated = [e.msgid for e in entries if not e.translated()]
    plural_without_form_0 = [e.msgid for e in entries if e.msgid_plural and not e.msgstr_plural.get(0)]
    assert fuzzy == []
    assert untranslated == []
    assert plural_without_form_0 == []


def test_zh_hans_translations_keep_the_placeholders_of_the_source(zh_po):
    wrong = []
    for entry in _live(zh_po):
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        expected = {p for s in sources for p in PLACEHOLDER_RE.findall(s)}
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            if set(PLACEHOLDER_RE.findall(text)) != expected:
                wrong.append((entry.msgid, text))
    assert wrong == []


@pytest.mark.parametrize("locale", LOCALES)
def test_the_compiled_mo_is_up_to_date_with_the_po(locale):
    directory = LOCALE / locale / "LC_MESSAGES"
    po = polib.pofile(str(directory / "django.po"))
    mo = polib.mofile(str(directory / "django.mo"))

    def translations(entries) -> dict:
        def value(e):
            if e.msgid_plural:
                return tuple(sorted((int(n), s) for n, s in e.msgstr_plural.items()))
            return e.msgstr

        return {_key(e): value(e) for e in entries if e.msgid}  # not the header

    compiled = [e for e in _live(po) if "fuzzy" not in e.flags and e.translated()]  # what msgfmt keeps
    assert translations(mo) == translations(compiled), (
        f"{directory / 'django.mo'} is stale: "
        "run `manage.py compilemessages --ignore=.venv --ignore=node_modules`"
    )


def test_the_en_catalogue_has_a_valid_header_and_the_same_msgids_as_zh_hans(zh_po):
    en_po = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    assert en_po.metadata["Language"] == "en"
    assert "charset=UTF-8" in en_po.metadata["Content-Type"]
    assert not en_po.metadata_is_fuzzy
    assert {_key(e) for e in _live(en_po)} == {_key(e) for e in _live(zh_po)}


def test_the_extractor_finds_strings_of_python_and_templates(tmp_path, monkeypatch):
    """Guards the approximation below: it must see a new `{% translate %}` or `_()` string."""
    template = tmp_path / "x.html"
    template.write_text(
        '{% load i18n %}<p title="{% translate \'Title\' %}">{% translate "New thing" %}</p>'
        "{% blocktranslate count counter=n %}{{ counter }} cat{% plural %}{{ counter }} cats"
        "{% endblocktranslate %}"
        "{% blocktranslate with a=b %}Hi {{ a }}, 100%{% endblocktranslate %}",
        encoding="utf-8",
    )
    assert _template_msgids(template) == {
        ("", "Title", ""),
        ("", "New thing", ""),
        ("", "%(counter)s cat", "%(counter)s cats"),
        ("", "Hi %(a)s, 100%%", ""),
    }
    module = tmp_path / "x.py"
    module.write_text(
        'label = _("New thing")\nmsg = ngettext_lazy("%(n)s cat", "%(n)s cats", "n")\n'
        'ctx = pgettext_lazy("month", "May")\nskip = _(variable)\n',
        encoding="utf-8",
    )
    assert _python_msgids(module) == {
        ("", "New thing", ""),
        ("", "%(n)s cat", "%(n)s cats"),
        ("month", "May", ""),
    }


def test_the_zh_hans_catalogue_covers_every_translatable_string_of_the_code(zh_po):
    found = code_msgids()
    assert len(found) > 100
    catalogue = {(e.msgctxt or "", e.msgid): e for e in _live(zh_po)}
    missing = sorted(
        f"{where}: {msgid!r}"
        for (context, msgid, _plural), where in found.items()
        if (context, msgid) not in catalogue or not catalogue[(context, msgid)].translated()
    )
    assert missing == [], (
        "Run `manage.py makemessages -l zh_Hans -l en --no-location --ignore=.venv --ignore=node_modules "
        "--ignore=var --ignore='carebridge/insights/*'`, translate, then compilemessages. Missing:\n"
        + "\n".join(missing)
    )


def test_the_login_page_is_chinese_by_default_and_english_once_chosen(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'lang="zh-hans"' in page
    assert "登录" in page
    assert "Log in" not in page

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in page
    assert "Log in" in page
    assert "登录" not in page
