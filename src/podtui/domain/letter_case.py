"""Upper, lower and title case as the text's language writes them.

`str.upper()` knows no language: it keeps the accents of Greek ("ΟΙΚΟΓΈΝΕΙΑ", which a Greek
reader sees as a mistake: capitals carry none) and gives Turkish "i" no dot ("ISTANBUL" for
"İSTANBUL"). Greek capitals drop their accents whatever the order's language (no language writes
Greek capitals with them), keeping a dialytika and adding one where an accent split a diphthong
("Μάιος" -> "ΜΑΪΟΣ"); the dotted and dotless i follow Turkish and Azerbaijani rules when the order
is in one of those languages.
"""

from __future__ import annotations

import unicodedata

DOTTED_I_LANGUAGES = frozenset({"tr", "az"})
_GREEK_ACCENTS = frozenset("\u0300\u0301\u0342\u0313\u0314\u0345")  # varia tonos perispomeni ...
_DIALYTIKA = "\u0308"
_ACCENTED_VOWELS = frozenset("\u03b1\u03b5\u03bf\u03b7\u03c9\u03c5")  # alpha ... upsilon
_SPLITTABLE = frozenset("\u03b9\u03c5")  # iota, upsilon: kept apart by an accent before them


def language_of(locale: str | None) -> str:
    """The language part of a locale, lower case: 'el-GR' -> 'el', 'tr_TR' -> 'tr'."""
    if not locale:
        return ""
    return locale.replace("_", "-").split("-", 1)[0].strip().lower()


def change_case(text: str, how: str, language: str = "") -> str:
    """`text` in upper, lower or title case (`how`), as `language` writes it; 'none' keeps it."""
    dotted = language_of(language) in DOTTED_I_LANGUAGES
    if how == "upper":
        return _upper(text, dotted)
    if how == "lower":
        return _lower(text, dotted)
    if how == "title":
        return " ".join(_title_word(w, dotted) for w in text.split(" "))
    return text


def _upper(text: str, dotted: bool) -> str:
    if dotted:
        text = text.replace("i", "\u0130").replace("\u0131", "I")  # dotted capital, dotless small
    if not any("\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff" for ch in text):
        return text.upper()
    return _greek_upper(text)


def _greek_upper(text: str) -> str:
    """Upper case with Greek accents dropped, a dialytika kept, and one added where due."""
    letters = unicodedata.normalize("NFD", text)
    out: list[str] = []
    accented_vowel = False  # the last base letter was a vowel that bore an accent
    i = 0
    while i < len(letters):
        ch = letters[i]
        marks = ""
        j = i + 1
        while j < len(letters) and unicodedata.combining(letters[j]):
            marks += letters[j]
            j += 1
        lower = ch.lower()
        split = accented_vowel and lower in _SPLITTABLE and not marks
        kept = "".join(m for m in marks if m not in _GREEK_ACCENTS)
        if split and _DIALYTIKA not in kept:
            kept += _DIALYTIKA
        is_greek = "\u0370" <= ch <= "\u03ff"
        out.append(ch.upper() + (kept if is_greek else marks.upper()))
        accented_vowel = (
            is_greek and lower in _ACCENTED_VOWELS and any(m in "\u0301\u0342" for m in marks)
        )
        i = j
    return unicodedata.normalize("NFC", "".join(out))


def _lower(text: str, dotted: bool) -> str:
    if dotted:
        text = text.replace("\u0130", "i").replace("I", "\u0131")
    return text.lower()


def _title_word(word: str, dotted: bool) -> str:
    if not word:
        return word
    return _upper(word[0], dotted) + _lower(word[1:], dotted)
