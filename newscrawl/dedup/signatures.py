"""MinHash signatures of article texts: word shingles, the signature, its stored bytes.

A syndicated wire story reappears on other sites with different boilerplate, title suffix
and a trimmed last paragraph; its normalised text hash differs, its shingle set barely does.
Two outlets' own stories about the same event share names and facts but not sentences, so
their 5-word shingles overlap little. On the test network's pairs (tests/dedup/test_near.py)
syndicated copies have Jaccard 0.77-0.85 and same-event stories 0.006-0.014; the threshold of
0.6 sits in the wide gap between.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np

from newscrawl.dedup.keys import normalize_text

if TYPE_CHECKING:
    from datasketch import LeanMinHash, MinHash

NUM_PERM = 128
SHINGLE_WORDS = 5
THRESHOLD = 0.6
MIN_SHINGLES = 10  # shorter texts are too short to call near-duplicates reliably
# datasketch's MinHash values are taken modulo 2**32 (its _max_hash), so 4 bytes hold each
# one exactly: half the bytes of the uint64 blobs that datasketch keeps and that datasets
# written before this format hold in their `minhash` table (both are read).
PACKED_BYTES = NUM_PERM * 4
_LEGACY_BYTES = NUM_PERM * 8


@cache
def _datasketch() -> ModuleType:
    """datasketch, imported on first use: it pulls in scipy (~0.4 s), which would otherwise
    sit on every crawl's start-up path before the first request."""
    import datasketch

    return datasketch


@cache
def minhash_scheme() -> str:
    """The hashing scheme of MinHash() defaults, which every stored signature was made with
    (datasketch >= 2.0 must be told it when values are loaded)."""
    return str(_datasketch().MinHash(num_perm=NUM_PERM).scheme)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Overlapping word n-grams of the normalised text, as bytes for hashing."""
    words = normalize_text(text).split()
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + size]).encode() for i in range(len(words) - size + 1)}


def signature(text: str) -> MinHash | None:
    """MinHash of the text's shingles; None when the text is too short to judge."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return None
    minhash = _datasketch().MinHash(num_perm=NUM_PERM, permutations=_permutations(),
                                    scheme=minhash_scheme())
    minhash.update_batch(list(grams))
    return minhash


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """MinHash's permutation tables, built once per process: the defaults (seed 1) that
    every stored signature was made with, but not rebuilt for each page (0.2 ms)."""
    permutations: tuple[np.ndarray, np.ndarray] = tuple(
        _datasketch().MinHash(num_perm=NUM_PERM).permutations)
    return permutations


def signature_bytes(signature: MinHash | LeanMinHash | np.ndarray) -> bytes:
    """The signature (a MinHash or its values) as stored and as passed between processes:
    NUM_PERM little-endian uint32 values (PACKED_BYTES)."""
    values = np.asarray(getattr(signature, "hashvalues", signature), dtype=np.uint64)
    if values.size != NUM_PERM or int(values.max()) > 0xFFFFFFFF:
        raise ValueError(f"not a {NUM_PERM}-value MinHash signature with 32-bit values")
    return values.astype("<u4").tobytes()


def signature_values(blob: bytes) -> np.ndarray:
    """The NUM_PERM values (uint64) of a stored signature: packed (PACKED_BYTES) or the
    uint64 blobs of datasets written before (NUM_PERM * 8 bytes)."""
    if len(blob) == PACKED_BYTES:
        return np.frombuffer(blob, dtype="<u4").astype(np.uint64)
    if len(blob) == _LEGACY_BYTES:
        return np.frombuffer(blob, dtype=np.uint64)
    raise ValueError(f"a stored signature has {len(blob)} bytes, expected {PACKED_BYTES} "
                     f"or {_LEGACY_BYTES}")


def signature_given(text: str, values: bytes | None) -> np.ndarray | None:
    """The signature's values: computed elsewhere (`values`, signature_bytes: the
    extraction worker does it), else from the text itself; None when the text is too short
    to judge. Values, not a MinHash object: the index needs no more, and a crawl whose
    workers make the signatures then never imports datasketch (and scipy, ~1 s) at all."""
    if values:
        return signature_values(values)
    minhash = signature(text)
    return None if minhash is None else np.asarray(minhash.hashvalues, dtype=np.uint64)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard of two signatures' values: what datasketch's `jaccard` computes."""
    return float(np.count_nonzero(a == b)) / float(len(a))
