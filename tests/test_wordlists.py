"""The word lists of data/lexicon (reconcile/wordlists.py) and the str Enums that replaced plain strings."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from reconcile import wordlists
from reconcile.checks.slots import CONTRADICTION, check_slots
from reconcile.findings import FindingSeverity, FindingType
from reconcile.lexicon import STOPWORDS, TokenKind, tokenize
from reconcile.memo import active, memo_scope
from reconcile.resources import Resources


def _files() -> list[str]:
    folder = resources.files("reconcile").joinpath("data/lexicon")
    return sorted(p.name.removesuffix(".txt") for p in folder.iterdir() if p.name.endswith(".txt"))


@pytest.mark.parametrize("name", _files())
def test_every_list_is_read_and_none_is_empty(name: str) -> None:
    text = resources.files("reconcile").joinpath(f"data/lexicon/{name}.txt").read_text(encoding="utf-8")
    sections: list[str | None] = [line.strip()[1:-1] for line in text.splitlines() if line.strip().startswith("[")]
    for section in sections or [None]:
        found = wordlists.entries(name, section)
        assert found, (name, section)
        assert all("#" not in entry and entry == entry.strip() for entry in found)


def test_named_lists_and_tables() -> None:
    assert "president" in wordlists.words("titles", "before_name")
    assert "elect" in wordlists.words("titles", "speaker")  # the two title lists differ on purpose
    assert "elect" not in wordlists.words("titles", "before_name")
    assert wordlists.integers("calendar", "month_abbreviations")["sept"] == 9
    assert wordlists.numbers("quantities", "time_days")["second"] == 1 / 86400
    assert wordlists.numbers("quantities", "scale")["bn"] == 1e9
    assert "pointed out" in wordlists.entries("attribution", "quote_cue")  # an entry may be a phrase
    assert {"said", "according"} <= STOPWORDS  # the attribution file's [stopwords] list is part of them


def test_a_missing_list_names_the_ones_there_are() -> None:
    with pytest.raises(
        KeyError, match=r"titles.txt has no list \[nope\] \(it has \[before_name\], \[speaker\], \[same_office\]\)"
    ):
        wordlists.entries("titles", "nope")
    with pytest.raises(KeyError, match="has no list"):
        wordlists.entries("titles")  # a file of several lists needs the list's name


def test_tables_are_read_only() -> None:
    table = wordlists.table("quantities", "currency_words")
    with pytest.raises(TypeError):
        table["dollar"] = "EUR"  # type: ignore[index]


def test_enums_read_and_print_as_the_strings_they_replaced(resources: Resources) -> None:
    kinds = [t.kind for t in tokenize("Officials say Xi did not sign 3 deals")]
    assert kinds == ["word", "stop", "name", "stop", "negation", "word", "number", "word"]
    assert all(isinstance(k, TokenKind) for k in kinds)
    (found,) = check_slots(
        "The ministry said 50 people were injured.", ["The ministry said 20 people were injured."], resources=resources
    )
    plain: str = "number"  # what the checks emitted before: still equal
    assert found.type is FindingType.NUMBER and found.type == plain
    assert found.severity is FindingSeverity.CONTRADICTION is CONTRADICTION
    assert f"{found.type}: {found.severity}" == "number: contradiction"
    assert json.dumps([found.type, found.severity]) == '["number", "contradiction"]'


def test_check_slots_keeps_nothing_after_it_returns(resources: Resources) -> None:
    assert not active()
    check_slots("Xi met Trump on Friday.", ["Xi met Trump on Monday."], resources=resources)
    assert not active()
    with memo_scope():
        assert active()
        check_slots("Xi met Trump on Friday.", ["Xi met Trump on Monday."], resources=resources)
    assert not active()
