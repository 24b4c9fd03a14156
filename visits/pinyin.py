"""Pinyin initials for searching Chinese names with a Latin keyboard (`zxm` finds 张晓明)."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def initials(text: str) -> str:
    """Lower-case pinyin initials of the Chinese characters in `text`; Latin letters and digits kept."""
    letters: list[str] = []
    for syllable in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore"):
        letters.extend(ch for ch in syllable.lower() if ch.isascii() and ch.isalnum())
    return "".join(letters)[:30]
