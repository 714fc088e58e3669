"""Compound splits kept across runs: the second splitter answers from the file, without the
dictionary; a torn or malformed line is skipped; other limits mean another file."""

from __future__ import annotations

from pathlib import Path

import pytest

from lofte.language.analyze import CompoundSplitter
from lofte.language.split_file import SplitFile, file_key

WORDS = ("förskoleplatser", "deltidsarbete", "Stockholmsjobb", "kärnkraftverk", "och")


def test_a_second_run_reads_the_splits_instead_of_asking_hunspell(tmp_path: Path) -> None:
    first = CompoundSplitter()
    first.remember_in(tmp_path)
    answers = {w: first.split(w) for w in WORDS}
    assert answers["deltidsarbete"] and answers["och"] == ()
    first.save()
    (written,) = tmp_path.glob("splits-*.tsv")

    second = CompoundSplitter()

    def no_dictionary() -> object:
        raise AssertionError("the dictionary was consulted")

    second._lookuper = no_dictionary  # type: ignore[method-assign]
    second.remember_in(tmp_path)
    assert {w: second.split(w) for w in WORDS} == answers
    with pytest.raises(AssertionError):
        second.split("sjukhusparkering")  # a word never split before still needs hunspell
    assert written.read_text(encoding="utf-8").count("\n") == len(WORDS)


def test_torn_and_malformed_lines_are_skipped(tmp_path: Path) -> None:
    store = SplitFile(tmp_path, "k")
    store.append([("deltidsarbete", ("deltids", "arbete")), ("och", ())])
    with store.path.open("a", encoding="utf-8") as f:
        f.write("ingen tabb här\n\tutan ord\nhalvskri\tven")  # the last line torn mid-write
    assert store.read() == {"deltidsarbete": ("deltids", "arbete"), "och": ()}
    assert SplitFile(tmp_path / "saknas", "k").read() == {}


def test_other_limits_or_another_dictionary_use_another_file(tmp_path: Path) -> None:
    dic = tmp_path / "a.dic"
    dic.write_text("1\nord\n", encoding="utf-8")
    assert file_key([dic], (2, 6)) != file_key([dic], (3, 6))
    other = tmp_path / "b.dic"
    other.write_text("1\nannat\n", encoding="utf-8")
    assert file_key([dic], (2, 6)) != file_key([other], (2, 6))
