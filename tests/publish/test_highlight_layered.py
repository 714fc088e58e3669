"""`highlight.layered`, which marks a document's pledges in its text (QA: a program of 15,557
candidate pledges spent 22 s here: every span was asked about every piece)."""

from __future__ import annotations

import random
from typing import Any

from lofte.publish import highlight


class _Counted(int):
    """A position that counts how often it is compared."""

    compared = 0

    def _count(self, other: Any, result: bool) -> bool:
        _Counted.compared += 1
        return result

    def __lt__(self, other: Any) -> bool:
        return self._count(other, int(self) < int(other))

    def __le__(self, other: Any) -> bool:
        return self._count(other, int(self) <= int(other))

    def __gt__(self, other: Any) -> bool:
        return self._count(other, int(self) > int(other))

    def __ge__(self, other: Any) -> bool:
        return self._count(other, int(self) >= int(other))

    def __hash__(self) -> int:
        return int.__hash__(self)


def _plain(text: str, spans: list[tuple[int, int, Any]]) -> list[dict[str, Any]]:
    """What `layered` means, said the slow way: each piece asks every span."""
    clean = [(max(0, min(a, len(text))), max(0, min(b, len(text))), x) for a, b, x in spans]
    clean = [s for s in clean if s[0] < s[1]]
    points = sorted({0, len(text)} | {a for a, _, _ in clean} | {b for _, b, _ in clean})
    return [
        {
            "text": text[a:b],
            "labels": [x for sa, sb, x in clean if sa <= a and b <= sb],
            "anchors": [x for sa, _, x in clean if sa == a],
        }
        for a, b in zip(points, points[1:], strict=False)
    ]


def test_overlapping_nested_and_outlying_spans_are_cut_as_before() -> None:
    rng = random.Random(7)
    for _ in range(500):
        text = "abcdefghij" * rng.randint(0, 3)
        n = len(text)
        spans = [
            (rng.randint(-2, n + 2), rng.randint(-2, n + 2), rng.randint(0, 4))
            for _ in range(rng.randint(0, 6))
        ]
        assert highlight.layered(text, spans) == _plain(text, spans), (text, spans)


def test_the_work_grows_with_the_spans_not_their_square() -> None:
    def comparisons(n: int) -> int:
        text = "ord " * (3 * n)
        spans = [(_Counted(12 * i), _Counted(12 * i + 7), i) for i in range(n)]
        _Counted.compared = 0
        pieces = highlight.layered(text, spans)
        assert sum(1 for p in pieces if p["labels"]) == n
        return _Counted.compared

    small, large = comparisons(200), comparisons(1600)
    # eight times the spans: a sort's n log n is about 11 times the work, n squared 64 times
    assert large < 20 * small, (small, large)
