"""Sets of half-open time intervals `[start, end)` in integer seconds, and their algebra.

An `IntervalSet` is normalised on construction (sorted, disjoint, touching intervals merged), so
equality is set equality and `measure` never counts an instant twice (R6). Operations are linear
merges over the sorted intervals: no per-second or per-slot loop anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

Pair = tuple[int, int]


class IntervalSet:
    """An immutable union of half-open intervals of integer seconds."""

    __slots__ = ("_pairs",)

    def __init__(self, pairs: Iterable[Pair] = ()) -> None:
        self._pairs: tuple[Pair, ...] = _normalise(pairs)

    @classmethod
    def _trusted(cls, pairs: list[Pair]) -> IntervalSet:
        new = cls.__new__(cls)
        new._pairs = tuple(pairs)
        return new

    @classmethod
    def span(cls, start: int, end: int) -> IntervalSet:
        return cls._trusted([(start, end)] if end > start else [])

    @property
    def pairs(self) -> tuple[Pair, ...]:
        return self._pairs

    def __iter__(self) -> Iterator[Pair]:
        return iter(self._pairs)

    def __len__(self) -> int:
        return len(self._pairs)

    def __bool__(self) -> bool:
        return bool(self._pairs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IntervalSet) and self._pairs == other._pairs

    def __hash__(self) -> int:
        return hash(self._pairs)

    def __repr__(self) -> str:
        return f"IntervalSet({list(self._pairs)!r})"

    @property
    def measure(self) -> int:
        """Total length in seconds."""
        return sum(end - start for start, end in self._pairs)

    def __or__(self, other: IntervalSet) -> IntervalSet:
        if not other._pairs:
            return self
        if not self._pairs:
            return other
        return IntervalSet._trusted(_merge_sorted(_interleave(self._pairs, other._pairs)))

    def __and__(self, other: IntervalSet) -> IntervalSet:
        out: list[Pair] = []
        a, b = self._pairs, other._pairs
        i = j = 0
        while i < len(a) and j < len(b):
            start = max(a[i][0], b[j][0])
            end = min(a[i][1], b[j][1])
            if start < end:
                out.append((start, end))
            if a[i][1] < b[j][1]:
                i += 1
            else:
                j += 1
        return IntervalSet._trusted(out)

    def __sub__(self, other: IntervalSet) -> IntervalSet:
        out: list[Pair] = []
        b = other._pairs
        j = 0
        for start, end in self._pairs:
            while j < len(b) and b[j][1] <= start:
                j += 1
            k = j
            cursor = start
            while k < len(b) and b[k][0] < end:
                if b[k][0] > cursor:
                    out.append((cursor, b[k][0]))
                cursor = max(cursor, b[k][1])
                if cursor >= end:
                    break
                k += 1
            if cursor < end:
                out.append((cursor, end))
        return IntervalSet._trusted(out)

    def clip(self, start: int, end: int) -> IntervalSet:
        return self & IntervalSet.span(start, end)

    def containing_or_after(self, instant: int) -> Pair | None:
        """The interval containing `instant`, or else the first one starting after it."""
        for pair in self._pairs:
            if pair[1] > instant:
                return pair
        return None


def union_all(sets: Iterable[IntervalSet]) -> IntervalSet:
    pairs: list[Pair] = []
    for s in sets:
        pairs.extend(s.pairs)
    return IntervalSet(pairs)


def _normalise(pairs: Iterable[Pair]) -> tuple[Pair, ...]:
    valid = sorted((int(s), int(e)) for s, e in pairs if e > s)
    return tuple(_merge_sorted(valid))


def _interleave(a: tuple[Pair, ...], b: tuple[Pair, ...]) -> list[Pair]:
    out: list[Pair] = []
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] <= b[j]:
            out.append(a[i])
            i += 1
        else:
            out.append(b[j])
            j += 1
    out.extend(a[i:])
    out.extend(b[j:])
    return out


def _merge_sorted(pairs: list[Pair]) -> list[Pair]:
    out: list[Pair] = []
    for start, end in pairs:
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out
