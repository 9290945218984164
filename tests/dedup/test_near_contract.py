"""The near-duplicate index's contract, run against both implementations: the embedded one
(band keys in memory, signatures in SQLite) and the Redis one (a real redis-server).

Beside the network's declared pairs, every decision is compared with the reference the
index replaced: datasketch's MinHashLSH with the same 25 x 5 bands, each candidate confirmed
by its `jaccard` against the threshold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path
from typing import Protocol

import pytest
from datasketch import MinHashLSH

from newscrawl.dedup.near import (
    LSH_BANDS,
    NUM_PERM,
    THRESHOLD,
    NearDuplicateIndex,
    signature,
    signature_bytes,
)
from newscrawl.dedup.near_redis import RedisNearDuplicateIndex
from tests.dedup.test_near import NETWORK, SAME_EVENT, SYNDICATED, partner_copies

RECENT = datetime.now(UTC) - timedelta(days=1)


class Index(Protocol):
    def find(self, text: str, own_id: str, values: bytes | None = None
             ) -> tuple[str | None, object]: ...
    def add(self, id_: str, minhash: object, published: datetime | None) -> None: ...
    def commit(self, ids: list[str]) -> None: ...
    def close(self) -> None: ...


# make(name): a fresh index the first time a name is seen, the same stored index (a new
# instance: a new run, another worker) when the name comes again.
Make = Callable[[str], Index]


@pytest.fixture(params=["embedded", "redis"])
def make(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Make]:
    opened: list[Index] = []

    def embedded(name: str) -> Index:
        return NearDuplicateIndex(tmp_path / f"{name}.sqlite")

    def distributed(name: str) -> Index:
        return RedisNearDuplicateIndex(request.getfixturevalue("redis_url"), name)

    factory = embedded if request.param == "embedded" else distributed

    def make_index(name: str) -> Index:
        opened.append(factory(name))
        return opened[-1]

    yield make_index
    for index in opened:
        index.close()


names = (f"index-{n}" for n in count())


def add(index: Index, id_: str, text: str) -> None:
    index.add(id_, index.find(text, id_)[1], RECENT)
    index.commit([id_])


def flagged(make: Make, first: str, second: str) -> bool:
    """Does a fresh index holding `first` call `second` a near-duplicate of it?"""
    index = make(next(names))
    add(index, "first", first)
    return index.find(second, "second")[0] == "first"


def reference_flags(first: str, second: str) -> bool:
    """The decision of the index this one replaced (datasketch MinHashLSH, 25 x 5)."""
    lsh = MinHashLSH(num_perm=NUM_PERM, params=LSH_BANDS)
    a, b = signature(first), signature(second)
    assert a is not None and b is not None
    lsh.insert("first", a)
    return any(m == "first" and b.jaccard(a) >= THRESHOLD for m in lsh.query(b))


def test_find_names_the_earlier_copy_and_never_the_article_itself(make: Make) -> None:
    index = make("one")
    original, copy = SYNDICATED[0]
    match, minhash = index.find(original.text, "orig")
    assert match is None and minhash is not None
    assert minhash.tolist() == list(signature(original.text).hashvalues)
    index.add("orig", minhash, RECENT)
    assert index.find(copy.text, "copy")[0] == "orig"
    # A new version of the same article (same id) is not a duplicate of itself.
    assert index.find(original.text, "orig")[0] is None
    assert index.find(original.text, "other-id")[0] == "orig"
    # Unrelated text and too-short text find nothing; a None signature is not indexed.
    assert index.find(SAME_EVENT[0][0].text, "event")[0] is None
    assert index.find("Too short to judge.", "short") == (None, None)
    index.add("short", None, RECENT)
    assert index.find(copy.text, "copy")[0] == "orig"


def test_a_signature_passed_as_bytes_decides_as_the_text(make: Make) -> None:
    index = make("bytes")
    original, copy = SYNDICATED[1]
    values = signature_bytes(signature(original.text))
    match, minhash = index.find("", "orig", values)
    assert match is None and minhash is not None
    assert minhash.tolist() == list(signature(original.text).hashvalues)
    index.add("orig", minhash, RECENT)
    assert index.find("", "copy", signature_bytes(signature(copy.text)))[0] == "orig"


def test_the_earliest_id_of_several_copies_is_named_and_an_id_is_indexed_once(
    make: Make,
) -> None:
    index = make("many")
    original, copy = SYNDICATED[2]
    for id_ in ("m-second", "a-first", "m-second"):
        add(index, id_, original.text)
    assert index.find(copy.text, "copy")[0] == "a-first"
    assert index.find(copy.text, "a-first")[0] == "m-second"


def test_a_committed_article_is_found_by_a_new_instance(make: Make) -> None:
    (kept, kept_copy), (_, other_copy) = SYNDICATED[:2]
    add(make("shared"), "kept", kept.text)
    later = make("shared")
    assert later.find(kept_copy.text, "x")[0] == "kept"
    assert later.find(other_copy.text, "x")[0] is None
    assert make("unrelated").find(kept_copy.text, "x")[0] is None


def test_every_network_pair_is_judged_as_before_in_either_order(make: Make) -> None:
    for kind, pairs in (("syndicated", SYNDICATED), ("same event", SAME_EVENT)):
        for a, b in pairs:
            for first, second in ((a.text, b.text), (b.text, a.text)):
                assert flagged(make, first, second) == (kind == "syndicated"), (a.slug, b.slug)
                assert reference_flags(first, second) == (kind == "syndicated")


def test_no_other_two_network_articles_are_flagged(make: Make) -> None:
    index = make("network")
    declared = {frozenset((a.slug, b.slug)) for a, b in SYNDICATED}
    flagged_pairs = set()
    for article in NETWORK.articles:
        match, minhash = index.find(article.text, article.slug)
        if match is not None:
            flagged_pairs.add(frozenset((article.slug, match)))
        index.add(article.slug, minhash, RECENT)
    assert flagged_pairs == declared


def test_partner_copies_and_near_misses_are_decided_as_the_reference_decides(
    make: Make,
) -> None:
    # Partner copies (Jaccard 0.66-0.97) must all be found; follow-ups reusing three
    # paragraphs of another story (0.3-0.6) where LSH bands propose candidates now and then
    # must be decided exactly as datasketch's LSH + jaccard decides.
    missed = [original.slug for original, copy, _ in partner_copies()
              if not flagged(make, original.text, copy)]
    assert not missed
    long_ones = [a for a in NETWORK.articles if len(a.text.split("\n\n")) >= 5]
    decided = []
    for a, b in zip(long_ones, long_ones[7:] + long_ones[:7], strict=True):
        mixed = "\n\n".join(a.text.split("\n\n")[:3] + b.text.split("\n\n")[3:])
        decided.append(flagged(make, a.text, mixed))
        assert decided[-1] == reference_flags(a.text, mixed), a.slug
    assert len(decided) >= 20
