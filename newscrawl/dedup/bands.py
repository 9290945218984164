"""LSH bands as 64-bit integers, and the in-memory table from band key to article rows.

LSH splits a signature into BANDS bands of ROWS values; two articles are candidates when
they agree on every value of at least one band. datasketch keeps each band as 40 bytes in a
Python set per bucket (~9 KB per article with its bookkeeping); here a band is one uint64
(its five values mixed with the band's number), so the whole index is a sorted array of
8-byte keys beside 4-byte rows. Two different value tuples meeting on one key (about
2**-59 per pair) only add a candidate, which find() confirms against the signatures like any other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

# LSH bands x rows. datasketch's own choice for 0.6 (18 x 7) finds a pair at Jaccard 0.7
# only 79% of the time; 25 x 5 finds it 99% (0.87 at 0.6), and every candidate is then
# confirmed against THRESHOLD with the signatures' estimated Jaccard, so the extra
# candidates cost a lookup, not a false flag.
BANDS, ROWS = 25, 5
LSH_BANDS = (BANDS, ROWS)

# Odd 64-bit multipliers, one per value of a band, and a seed per band: a band's key is
# the splitmix64 finaliser of the sum of its values times these, xor its band's seed.
_WEIGHTS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                     0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD], dtype=np.uint64)[:ROWS]
_SEEDS = np.arange(1, BANDS + 1, dtype=np.uint64) * np.uint64(0xA0761D6478BD642F)
_BAND_BITS = 5
_BAND_TAGS = np.arange(BANDS, dtype=np.uint64) << np.uint64(64 - _BAND_BITS)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser (a bijection on uint64), on arrays so overflow wraps quietly."""
    h = (h ^ (h >> np.uint64(30))) * _MIX1
    h = (h ^ (h >> np.uint64(27))) * _MIX2
    return h ^ (h >> np.uint64(31))


def band_keys(values: np.ndarray) -> np.ndarray:
    """uint64 keys of the BANDS bands of each signature: `values` is (NUM_PERM,) or
    (n, NUM_PERM) uint64; the result (BANDS,) or (n, BANDS). Band b covers values
    b*ROWS .. b*ROWS+ROWS-1, as in datasketch's MinHashLSH."""
    matrix = values[..., :BANDS * ROWS].astype(np.uint64)
    bands = matrix.reshape(*matrix.shape[:-1], BANDS, ROWS)
    total = bands[..., 0] * _WEIGHTS[0]
    for i in range(1, ROWS):  # not .sum(axis=-1): numpy's reduction over 5 is 5x slower
        total += bands[..., i] * _WEIGHTS[i]
    # The band's number in the top bits: sorted keys then run band by band (BandTable).
    return (_mix(total ^ _SEEDS) >> np.uint64(_BAND_BITS)) | _BAND_TAGS


@dataclass
class BandTable:
    """Band keys -> rows (int, the caller's numbering of its articles).

    The bulk sits in two sorted arrays (12 bytes per band per article); rows added since
    the last merge wait in a small dict, merged in once it holds `merge_every` articles, so
    an add costs a dict insert and a merge O(n) every `merge_every` adds."""

    merge_every: int = 2048
    _keys: np.ndarray = field(default_factory=lambda: np.empty(0, np.uint64))
    _rows: np.ndarray = field(default_factory=lambda: np.empty(0, np.uint32))
    _recent: dict[int, list[int]] = field(default_factory=dict)
    _recent_count: int = 0

    @classmethod
    def load(cls, batches: Iterable[np.ndarray], count: int) -> BandTable:
        """The table of rows 0 .. count-1, whose keys (band_keys, (m, BANDS) each) come in
        row order in `batches`. Sorted band by band (a band's keys share their top bits)
        into arrays allocated once: sorting all keys at once would need five times their
        memory in temporaries, which the allocator then keeps."""
        keys = np.empty((BANDS, count), dtype=np.uint64)
        filled = 0
        for batch in batches:
            keys[:, filled:filled + len(batch)] = batch.T
            filled += len(batch)
        if filled != count:
            raise ValueError(f"{filled} signatures read, {count} expected")
        rows = np.empty((BANDS, count), dtype=np.uint32)
        for band in range(BANDS):
            order = np.argsort(keys[band])
            keys[band] = keys[band][order]
            rows[band] = order
        return cls(_keys=keys.reshape(-1), _rows=rows.reshape(-1))

    def __len__(self) -> int:
        return len(self._keys) // BANDS + self._recent_count

    def add(self, row: int, keys: np.ndarray) -> None:
        for key in keys.tolist():
            self._recent.setdefault(key, []).append(row)
        self._recent_count += 1
        if self._recent_count >= self.merge_every:
            self._merge()

    def _merge(self) -> None:
        items = [(key, row) for key, rows in self._recent.items() for row in rows]
        keys = np.fromiter((k for k, _ in items), np.uint64, len(items))
        rows = np.fromiter((r for _, r in items), np.uint32, len(items))
        order = np.argsort(keys, kind="stable")
        keys, rows = keys[order], rows[order]
        at = np.searchsorted(self._keys, keys, side="right")
        self._keys = np.insert(self._keys, at, keys)
        self._rows = np.insert(self._rows, at, rows)
        self._recent.clear()
        self._recent_count = 0

    def query(self, keys: np.ndarray) -> set[int]:
        """Rows sharing at least one band key with `keys` (BANDS,)."""
        found: set[int] = set()
        needles = np.sort(keys)  # sorted needles: each binary search starts where the last ended
        at = np.searchsorted(self._keys, needles)
        inside = at < len(self._keys)
        hits = at[inside][self._keys[at[inside]] == needles[inside]]
        for start in hits.tolist():
            # A key shared by several rows (identical bands) is a run of equal keys.
            stop = start + 1
            while stop < len(self._keys) and self._keys[stop] == self._keys[start]:
                stop += 1
            found.update(self._rows[start:stop].tolist())
        if self._recent:
            for key in keys.tolist():
                found.update(self._recent.get(key, ()))
        return found
