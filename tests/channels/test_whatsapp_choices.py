"""Numbered answers as people type them on WhatsApp and SMS (bot/engine/choices.py)."""

from __future__ import annotations

import pytest

from bot.engine.choices import choice_by_number

RLM = "\u200f"


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("2", 1),
        ("٢", 1),  # Arabic-Indic
        ("۲", 1),  # Persian
        (" 2 ", 1),
        ("2.", 1),
        ("2)", 1),
        (f"{RLM}٢{RLM}", 1),  # the marks an Arabic keyboard adds
        ("2\ufe0f\u20e3", 1),  # the keycap emoji 2️⃣
        ("1", 0),
        ("١٠", 9),
        ("۱۳", 12),
        ("13", 12),
    ],
)
def test_a_number_in_any_of_the_digits_people_use_picks_that_choice(text: str, index: int) -> None:
    assert choice_by_number(text, 13) == index


@pytest.mark.parametrize(
    "text", ["0", "٠", "14", "111", "²", "2²", "a2", "2 3", "-2", "9" * 5000, "", "iki"]
)
def test_anything_else_is_not_a_number_answer(text: str) -> None:
    assert choice_by_number(text, 13) is None
