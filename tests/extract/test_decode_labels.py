"""A wrong charset label must not cost the article: UTF-16 declared on single-byte text."""

from __future__ import annotations

import codecs

import pytest

from newscrawl.extract import extract_article
from newscrawl.extract.decode import decode_html
from tests.extract.test_batch import PAGE, URL

LATIN = PAGE.replace('<meta charset="utf-8">', "").replace("‘", "'").replace("’", "'") \
    .replace("“", '"').replace("”", '"').replace("©", "(c)") \
    .replace("Marlowe Quinn has", "Marlowe Quinn, née Müller, has")


@pytest.mark.parametrize("pad", ["", " "])   # even and odd byte counts
@pytest.mark.parametrize("label", ["utf-16", "UTF-16LE", "utf-16be", "utf-32"])
def test_utf16_header_on_a_latin1_body_keeps_the_article(label: str, pad: str) -> None:
    body = (LATIN + pad).encode("latin-1")
    text, encoding = decode_html(body, f"text/html; charset={label}")
    assert encoding == "cp1252" and "née Müller" in text
    result = extract_article(body, URL, content_type=f"text/html; charset={label}")
    assert result.record is not None, result.reason
    assert "Marlowe Quinn, née Müller, has signed on" in result.record["text"]


def test_utf16_meta_on_a_latin1_body_keeps_the_article() -> None:
    body = LATIN.replace("<head>", '<head><meta charset="utf-16">').encode("latin-1")
    assert decode_html(body)[1] == "cp1252"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_real_utf16_without_bom_still_decodes_by_its_label(codec: str) -> None:
    body = LATIN.encode(codec)
    text, encoding = decode_html(body, f"text/html; charset={codec}")
    assert (encoding, text) == (codec, LATIN)
    with_bom = (codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE) + body
    assert decode_html(with_bom, "text/html; charset=iso-8859-1") == (LATIN, codec)
