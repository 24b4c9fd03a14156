#!/usr/bin/env python3
"""Check the message catalogues against the source.

Runs `makemessages` on a temporary copy of the project (so the committed catalogues are never touched)
and reports, for each locale under locale/:
  - msgids found in the source but missing from the catalogue (run makemessages),
  - msgids in the catalogue that the source no longer uses (stale),
and for zh_Hans, the msgids with an empty or fuzzy translation.

Usage: .venv/bin/python scripts/check_translations.py   (exit status 1 when something is wrong)
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LOCALES = ("zh_Hans", "en")
# The locale whose every message must be translated (the source strings are English).
TRANSLATED_LOCALES = ("zh_Hans",)
# Not part of the project's own messages.
IGNORED_DIRS = {".venv", ".data", ".git", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache"}
IGNORED_PATHS = {Path("static/vendor"), Path("locale")}


@dataclass
class Entry:
    """One message of a .po file. `key` tells entries apart the way gettext does (context + msgid)."""

    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def is_translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values()) and "fuzzy" not in self.flags


def _unquote(text: str) -> str:
    return ast.literal_eval(text) if text.startswith('"') else ""


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file, header excluded. Enough of the format for makemessages' output."""
    entries: list[Entry] = []
    entry = Entry()
    current: tuple[str, int] | None = None
    seen_keyword = False

    def finish() -> None:
        nonlocal entry, current, seen_keyword
        if seen_keyword:
            entries.append(entry)
        entry, current, seen_keyword = Entry(), None, False

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#,"):
            if seen_keyword:
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            line = line[2:].strip()
            if not line or line.startswith("|"):
                continue
        elif line.startswith("#"):
            continue
        if line.startswith('"'):
            if current is None:
                raise ValueError(f"{path}: continuation line without a keyword: {raw!r}")
            _append(entry, current, _unquote(line))
            continue
        keyword, _, value = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and seen_keyword and (entry.msgstr or keyword == "msgctxt"):
            finish()
        seen_keyword = True
        if keyword.startswith("msgstr["):
            current = ("msgstr", int(keyword[7:-1]))
        elif keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            current = (keyword, 0)
        else:
            raise ValueError(f"{path}: unknown keyword {keyword!r}")
        _set(entry, current, _unquote(value.strip()))
    finish()
    return [e for e in entries if not (e.msgid == "" and e.msgctxt is None)]


def _set(entry: Entry, current: tuple[str, int], value: str) -> None:
    name, index = current
    if name == "msgstr":
        entry.msgstr[index] = value
    else:
        setattr(entry, name, value)


def _append(entry: Entry, current: tuple[str, int], value: str) -> None:
    name, index = current
    if name == "msgstr":
        entry.msgstr[index] += value
    else:
        setattr(entry, name, (getattr(entry, name) or "") + value)


def _ignore(directory: str, names: list[str]) -> set[str]:
    relative = Path(directory).resolve().relative_to(BASE_DIR)
    return {name for name in names if name in IGNORED_DIRS or relative / name in IGNORED_PATHS}


def source_messages(locale: str = "zh_Hans") -> set[tuple[str | None, str]]:
    """The message keys makemessages finds in the project's source today."""
    with tempfile.TemporaryDirectory(prefix="congress-messages-") as tmp:
        copy = Path(tmp) / "project"
        shutil.copytree(BASE_DIR, copy, ignore=_ignore, symlinks=True)
        (copy / "locale").mkdir()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "congress.settings", "PYTHONPATH": str(copy)}
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", locale, "--no-location", "-v", "0"],
            cwd=copy,
            env=env,
            check=True,
            capture_output=True,
        )
        return {e.key for e in parse_po(copy / "locale" / locale / "LC_MESSAGES" / "django.po") if not e.obsolete}


def catalogue_path(locale: str) -> Path:
    return BASE_DIR / "locale" / locale / "LC_MESSAGES" / "django.po"


def catalogue_messages(locale: str) -> list[Entry]:
    return [e for e in parse_po(catalogue_path(locale)) if not e.obsolete]


def untranslated(locale: str) -> list[Entry]:
    return [e for e in catalogue_messages(locale) if not e.is_translated]


def problems() -> list[str]:
    found = source_messages()
    report = []
    for locale in LOCALES:
        if not catalogue_path(locale).exists():
            report.append(f"{locale}: no catalogue at {catalogue_path(locale).relative_to(BASE_DIR)}")
            continue
        keys = {e.key for e in catalogue_messages(locale)}
        report += [f"{locale}: missing from the catalogue: {msgid!r}" for _, msgid in sorted(found - keys, key=str)]
        report += [f"{locale}: no longer in the source: {msgid!r}" for _, msgid in sorted(keys - found, key=str)]
        if locale in TRANSLATED_LOCALES:
            report += [f"{locale}: untranslated or fuzzy: {e.msgid!r}" for e in untranslated(locale)]
    return report


def main() -> int:
    report = problems()
    for line in report:
        print(line)
    if report:
        print(
            "Run: .venv/bin/python manage.py makemessages -l zh_Hans -l en "
            "--ignore=.venv --ignore=.data --ignore=static/vendor, then translate."
        )
        return 1
    print("Catalogues match the source; every message is translated.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
