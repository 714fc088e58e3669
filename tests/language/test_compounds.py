"""Compound splitting from hunspell-sv's compounding flags (language/compounds.py)."""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path

import pytest

from lofte.language import analyze, compounds, lexicon_file
from lofte.language.analyze import CompoundSplitter
from lofte.language.compounds import Lexicon

RECORD = Path(__file__).resolve().parents[3] / "shared" / "data" / "regeringen"
AGREEMENT_FLOOR = 0.98  # measured 0.990 on 600 word types of the record (seed 14)


@pytest.fixture(scope="module")
def splitter() -> CompoundSplitter:
    return CompoundSplitter()


def tiny(**sets: set[str]) -> Lexicon:
    return Lexicon(
        sets.get("begin", set()),
        sets.get("middle", set()),
        sets.get("end", set()),
        [(sets.get("first", set()), sets.get("second", set()))],
    )


def test_swedish_compounds_split_into_their_parts(splitter: CompoundSplitter) -> None:
    assert splitter.split("deltidsarbete") == ("deltids", "arbete", "del", "tids")
    assert splitter.split("avgiftsbefria")[:2] == ("avgifts", "befria")
    assert splitter.split("simhallsbygget")[:2] == ("simhalls", "bygget")
    assert splitter.split("skolgård") == ("skol", "gård")
    assert splitter.split("Stockholmsjobb")[:1] == ("stockholms",)  # proper nouns too
    assert splitter.split("arbete") == ()  # not a compound
    assert splitter.split("återkalla") == ("åter", "kalla")  # a particle and a verb, by rule


def test_a_simplified_triple_letter_is_restored_in_the_part(splitter: CompoundSplitter) -> None:
    # Swedish writes natt + tåg as "nattåg"; the part is the word, not "nat".
    assert splitter.split("nattåg") == ("natt", "tåg")
    assert splitter.split("tullättnader")[:2] == ("tull", "lättnader")
    assert splitter.split("natttåg") == ()  # three letters as written: no compound


def test_the_split_with_fewest_parts_wins_then_the_shortest_first_part() -> None:
    lex = tiny(begin={"sko", "skol", "skolgård", "gård"}, end={"lgårdsväg", "gårdsväg", "väg"})
    assert lex.split("skolgårdsväg") == ("sko", "lgårdsväg")  # two parts, shortest first
    lex = tiny(begin={"a" * 2, "bb", "cc"}, end={"dd"})
    assert lex.split("aabbccdd") == ("aa", "bb", "cc", "dd")  # four parts when nothing shorter
    assert lex.split("aabbccddee") == ()  # no split ends in an end form
    assert tiny(begin={"bil"}, end={"bil"}).split("bilbil") == ()  # no duplicated part


def test_a_word_costs_at_most_a_cubic_number_of_look_ups(splitter: CompoundSplitter) -> None:
    """Long runs of letters are bounded by the search's shape (at most MAX_PARTS - 1 nested
    cuts), counted here as look-ups rather than timed."""
    lexicon = splitter.lexicon()
    calls = 0

    class Counting:
        def __init__(self, inner: object) -> None:
            self.inner = inner

        def __contains__(self, item: object) -> bool:
            nonlocal calls
            calls += 1
            return item in self.inner  # type: ignore[operator]

    counted = Lexicon.from_state(lexicon.state())
    counted.begin, counted.middle, counted.end = (
        Counting(counted.begin),
        Counting(counted.middle),
        Counting(counted.end),
    )
    for word in ("a" * 48, "abcdefghijklmnopqrstuvwxyzåäö" * 2, "skolgård" * 6):
        calls = 0
        counted.split(word)
        assert 0 < calls <= 2 * len(word) ** 3


def test_the_lexicon_is_kept_in_a_file_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = CompoundSplitter()
    first.remember_in(tmp_path)
    assert first.split("deltidsarbete")
    (kept,) = tmp_path.glob("compound-lexicon-*.marshal")

    def no_dictionary(stem: Path) -> Lexicon:
        raise AssertionError("the dictionary was read although the lexicon file exists")

    monkeypatch.setattr(compounds.Lexicon, "load", no_dictionary)
    second = CompoundSplitter()
    second.remember_in(tmp_path)
    assert second.split("deltidsarbete") == first.split("deltidsarbete")
    kept.write_bytes(b"\x00torn")  # a torn file is rebuilt, not an error
    monkeypatch.undo()
    third = CompoundSplitter()
    third.remember_in(tmp_path)
    assert third.split("deltidsarbete") == first.split("deltidsarbete")
    assert lexicon_file.read(kept) is not None


def _spylls_split(lookup: object, word: str, depth: int = analyze.MAX_SPLIT_DEPTH) -> tuple:
    """What the analyzer did before this module: spylls' compound forms (the first six), the
    one with the fewest parts, its parts split again."""
    if depth == 0 or not analyze.MIN_SPLIT_CHARS <= len(word) <= analyze.MAX_SPLIT_CHARS:
        return ()
    if not word.isalpha():
        return ()
    forms = list(itertools.islice(lookup.good_forms(word, affix_forms=False), 6))  # type: ignore[attr-defined]
    if not forms:
        return ()
    parts = [p.text.lower() for p in min(forms, key=lambda f: len(f.parts)).parts]
    inner = [s for p in parts for s in _spylls_split(lookup, p, depth - 1)]
    out: list[str] = []
    for p in parts + inner:
        if len(p) >= analyze.MIN_PART_CHARS and p not in out:
            out.append(p)
    return tuple(out)


def test_agrees_with_hunspells_own_compound_search_on_the_record(
    splitter: CompoundSplitter,
) -> None:
    """Word types of the government's record (not tuned on: the rules are the dictionary's),
    split by spylls, the pure-Python Hunspell the analyzer used before."""
    from spylls.hunspell import Dictionary

    files = sorted(RECORD.rglob("*.md"))
    assert len(files) > 9000
    rng = random.Random(14)
    words: set[str] = set()
    for path in rng.sample(files, 60):
        words |= set(re.findall(r"[^\W\d_]{6,}", path.read_text(encoding="utf-8")))
    sample = rng.sample(sorted(words), 600)
    lookup = Dictionary.from_files(str(analyze._dictionary_stem())).lookuper
    same = sum(splitter.split(w) == _spylls_split(lookup, w) for w in sample)
    compounds_seen = sum(bool(splitter.split(w)) for w in sample)
    agreement = same / len(sample)
    print(
        f"\ncompound splits equal to spylls': {agreement:.3f} of {len(sample)} word types "
        f"({compounds_seen} split)"
    )
    assert compounds_seen > 100  # the sample holds compounds, so agreement means something
    assert agreement >= AGREEMENT_FLOOR
