"""newscrawl.extract.decode: bytes -> text, choosing the encoding as browsers do."""

from __future__ import annotations

import codecs
import random

import pytest

from newscrawl.extract.decode import charset_from_header, charset_from_meta, decode_html

# Characters cp1252 and UTF-8 encode differently, and that Latin-1 has no place for.
STORY = ("<p>“I never thought I’d be back here,” said Hana Whitfield — who first played the "
         "role in 2009 — at the première in Montréal.</p>"
         "<p>Critics called the sequel a déjà vu of the original; fans disagreed.</p>")


def page(head: str = "", body: str = STORY) -> str:
    return (f"<!DOCTYPE html><html><head>{head}<title>Interview</title></head>"
            f"<body>{body}</body></html>")


@pytest.mark.parametrize(("header", "expected"), [
    ("text/html; charset=UTF-8", "utf-8"),
    ("text/html;charset=\"windows-1252\"", "cp1252"),
    ("text/html; Charset='latin1'", "cp1252"),        # WHATWG: latin1 means windows-1252
    ("text/html; charset=ISO-8859-1", "cp1252"),
    ("text/html; charset=us-ascii", "cp1252"),
    ("text/html; charset=Shift_JIS", "shift_jis"),
    ("text/html", None),
    ("text/html; charset=x-no-such-encoding", None),
    ("", None),
    (None, None),
])
def test_charset_from_header(header: str | None, expected: str | None) -> None:
    assert charset_from_header(header) == expected


@pytest.mark.parametrize(("head", "expected"), [
    ('<meta charset="utf-8">', "utf-8"),
    ("<meta charset=utf8>", "utf-8"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">', "cp1252"),
    ('<meta content="text/html; charset=Shift_JIS" http-equiv="content-type">', "shift_jis"),
    ("<meta name=viewport content='width=device-width'>", None),
])
def test_charset_from_meta(head: str, expected: str | None) -> None:
    assert charset_from_meta(page(head).encode("utf-8")) == expected


def test_meta_charset_is_read_only_from_the_head_region() -> None:
    late = page(body="x" * 5000 + '<meta charset="shift_jis">')
    assert charset_from_meta(late.encode("ascii")) is None


def test_header_charset() -> None:
    text = page()
    assert decode_html(text.encode("cp1252"), "text/html; charset=windows-1252") == (
        text, "cp1252")
    assert decode_html(text.encode("utf-8"), "text/html; charset=utf-8") == (text, "utf-8")


def test_meta_charset() -> None:
    text = page('<meta charset="windows-1252">')
    assert decode_html(text.encode("cp1252"), "text/html") == (text, "cp1252")


def test_http_equiv_only() -> None:
    text = page('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">')
    decoded, encoding = decode_html(text.encode("cp1252"))
    assert encoding == "cp1252"
    assert decoded == text
    assert "“I never thought I’d" in decoded and "déjà vu" in decoded


def test_header_wins_over_meta() -> None:
    text = page('<meta charset="utf-8">')
    assert decode_html(text.encode("cp1252"), "text/html; charset=windows-1252") == (
        text, "cp1252")


@pytest.mark.parametrize(("bom", "codec", "name"), [
    (codecs.BOM_UTF8, "utf-8", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
])
def test_bom_beats_every_declaration(bom: bytes, codec: str, name: str) -> None:
    text = page('<meta charset="windows-1252">')
    assert decode_html(bom + text.encode(codec), "text/html; charset=iso-8859-1") == (text, name)


def test_mislabelled_latin1_header_on_utf8_bytes() -> None:
    text = page('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">')
    assert decode_html(text.encode("utf-8"), "text/html; charset=iso-8859-1") == (text, "utf-8")


def test_ascii_page_labelled_latin1_stays_cp1252() -> None:
    text = page(body="<p>Plain ASCII story.</p>")
    assert decode_html(text.encode("ascii"), "text/html; charset=iso-8859-1") == (text, "cp1252")


def test_undeclared_utf8() -> None:
    text = page()
    assert decode_html(text.encode("utf-8")) == (text, "utf-8")


def test_undeclared_cp1252_keeps_the_typographic_quotes() -> None:
    # Whatever the detector picks, the quotes, dashes and the e-acute (identical in every
    # Western single-byte code page) must come out right, with no replacement characters.
    decoded, _ = decode_html(page(body=STORY * 4).encode("cp1252"))
    assert "\ufffd" not in decoded
    assert "“I never thought I’d be back here,” said Hana Whitfield —" in decoded
    assert "Montréal" in decoded


@pytest.mark.parametrize("content_type", [None, "text/html; charset=utf-8"])
def test_undeclared_or_wrongly_declared_cp1252(content_type: str | None) -> None:
    text = page(body=STORY * 4)
    assert decode_html(text.encode("cp1252"), content_type) == (text, "cp1252")


def test_unknown_declared_charset_falls_through() -> None:
    text = page()
    assert decode_html(text.encode("utf-8"), "text/html; charset=klingon") == (text, "utf-8")


def test_never_raises_on_random_bytes() -> None:
    rng = random.Random(20260302)
    headers = [None, "text/html; charset=utf-8", "text/html; charset=iso-8859-1",
               "text/html; charset=utf-16", "text/html; charset=shift_jis"]
    for _ in range(200):
        body = rng.randbytes(rng.randint(0, 3000))
        for header in headers:
            decoded, encoding = decode_html(body, header)
            assert isinstance(decoded, str)
            assert codecs.lookup(encoding)
    assert decode_html(b"") == ("", "utf-8")
