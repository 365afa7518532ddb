# ruff: noqa: RUF001
"""Capitals as each language writes them: Greek drops its accents, Turkish keeps its dots."""

from __future__ import annotations

import pytest

from podtui.domain.letter_case import change_case, language_of


@pytest.mark.parametrize(
    ("text", "language", "expect"),
    [
        ("Οικογένεια", "el", "ΟΙΚΟΓΕΝΕΙΑ"),
        ("Οικογένεια", "", "ΟΙΚΟΓΕΝΕΙΑ"),  # Greek capitals carry no accents in any order
        ("Γιώργος και Ελένη", "", "ΓΙΩΡΓΟΣ ΚΑΙ ΕΛΕΝΗ"),
        ("Μάιος", "el", "ΜΑΪΟΣ"),  # the accent's diphthong break stays, as a dialytika
        ("ρολόι", "el", "ΡΟΛΟΪ"),
        ("Ζωή Παπαδοπούλου", "el", "ΖΩΗ ΠΑΠΑΔΟΠΟΥΛΟΥ"),
        ("Ϊάσονας", "el", "ΪΑΣΟΝΑΣ"),  # a written dialytika stays
        ("istanbul ılık", "tr", "İSTANBUL ILIK"),
        ("Işıl İnci", "tr", "IŞIL İNCİ"),
        ("istanbul", "az", "İSTANBUL"),
        ("istanbul", "", "ISTANBUL"),  # without Turkish, i is the Latin i
        ("Zoë Ångström", "de", "ZOË ÅNGSTRÖM"),  # other accents are the letters' own
        ("Straße", "de", "STRASSE"),
    ],
)
def test_upper_follows_the_language(text: str, language: str, expect: str) -> None:
    assert change_case(text, "upper", language) == expect


@pytest.mark.parametrize(
    ("text", "how", "language", "expect"),
    [
        ("İSTANBUL ILIK", "lower", "tr", "istanbul ılık"),
        ("ISTANBUL", "lower", "", "istanbul"),
        ("ışıl inci", "title", "tr", "Işıl İnci"),
        ("işil", "title", "tr", "İşil"),
        ("anna", "none", "tr", "anna"),
    ],
)
def test_lower_and_title_follow_it_too(text: str, how: str, language: str, expect: str) -> None:
    assert change_case(text, how, language) == expect


@pytest.mark.parametrize(
    ("locale", "expect"),
    [("el-GR", "el"), ("tr_TR", "tr"), ("TR", "tr"), ("", ""), ("en-US", "en"), (None, "")],
)
def test_a_locale_names_its_language(locale: str | None, expect: str) -> None:
    assert language_of(locale) == expect
