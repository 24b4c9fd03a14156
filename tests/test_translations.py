"""The message catalogues: every message of the source is in them, and every one has a Chinese translation."""

import shutil
import subprocess
import textwrap

import pytest

from scripts import check_translations as ct

pytestmark = pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs the gettext tools")


@pytest.fixture(scope="module")
def source_messages():
    return ct.source_messages()


@pytest.mark.parametrize("locale", ct.LOCALES)
def test_catalogue_has_every_message_of_the_source(source_messages, locale):
    keys = {entry.key for entry in ct.catalogue_messages(locale)}

    assert sorted(source_messages - keys, key=str) == []


@pytest.mark.parametrize("locale", ct.LOCALES)
def test_catalogue_has_no_message_the_source_dropped(source_messages, locale):
    keys = {entry.key for entry in ct.catalogue_messages(locale)}

    assert sorted(keys - source_messages, key=str) == []


def test_every_chinese_message_is_translated_and_not_fuzzy():
    assert [entry.msgid for entry in ct.untranslated("zh_Hans")] == []


def test_gettext_agrees_nothing_chinese_is_untranslated_or_fuzzy():
    po = str(ct.catalogue_path("zh_Hans"))
    for option in ("--untranslated", "--only-fuzzy"):
        output = subprocess.run(["msgattrib", option, "--no-obsolete", po], capture_output=True, text=True, check=True)
        # msgattrib prints nothing when no entry matches (not even the header).
        assert output.stdout.strip() == "", option


def test_portal_name_and_key_terms_use_the_offices_words():
    translations = {entry.msgid: entry.msgstr[0] for entry in ct.catalogue_messages("zh_Hans")}

    assert translations["Town People's Congress Work Portal"] == "镇人大工作平台"
    assert translations["deputy"] == "代表"
    assert translations["constituency"] == "选区"
    assert translations["annual plan"] == "年度工作计划"
    assert translations["liaison station"] == "代表联络站"
    assert translations["deputies' home"] == "代表之家"
    assert translations["village cadre"] == "村干部"
    assert translations["chairman"] == "人大主席"
    assert translations["department"] == "承办单位"
    assert translations["district congress"] == "区人大"


def test_parser_reports_fuzzy_empty_and_obsolete_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        textwrap.dedent(
            r"""
            msgid ""
            msgstr ""
            "Content-Type: text/plain; charset=UTF-8\n"
            #: a.py:1
            msgid "done"
            msgstr "完成"

            #, fuzzy, python-format
            msgid "%(n)s left"
            msgstr "还剩%(n)s"

            msgctxt "month"
            msgid ""
            "May"
            msgstr ""

            msgid "one item"
            msgid_plural "%(n)s items"
            msgstr[0] "%(n)s项"

            #~ msgid "gone"
            #~ msgstr "已删除"
            """
        ),
        encoding="utf-8",
    )

    entries = ct.parse_po(po)

    assert [(e.key, e.is_translated, e.obsolete) for e in entries] == [
        ((None, "done"), True, False),
        ((None, "%(n)s left"), False, False),
        (("month", "May"), False, False),
        ((None, "one item"), True, False),
        ((None, "gone"), True, True),
    ]
