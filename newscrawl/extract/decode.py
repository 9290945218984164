"""Bytes -> text for HTML pages, choosing the encoding the way browsers do.

Order of evidence: byte-order mark, the HTTP Content-Type charset, a `<meta charset>` or
`http-equiv` declaration in the first 4 KiB, then statistical detection (charset-normalizer).
A declared encoding that fails to decode strictly, or whose result is implausible (UTF-16
declared on bytes without NULs), is treated as wrong, because pages that declare UTF-8 but
hold cp1252 bytes (or the reverse) are common on old CMSes.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_.:-]+)", re.IGNORECASE)
_LATIN_SINGLE_BYTE = frozenset((
    "cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_2", "iso8859_3", "iso8859_4",
    "iso8859_9", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16",
    "mac_roman", "mac_latin2", "cp850", "cp437"))
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))

# What browsers actually do with these labels (WHATWG Encoding Standard).
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
            "us-ascii": "cp1252", "ascii": "cp1252", "iso8859-1": "cp1252"}


def _normalise_label(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def charset_from_header(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header value, normalised, or None."""
    if not content_type:
        return None
    m = _HEADER_CHARSET.search(content_type)
    return _normalise_label(m.group(1)) if m else None


def charset_from_meta(body: bytes) -> str | None:
    """The encoding declared by `<meta charset>` / `http-equiv` in the document head."""
    m = _META_CHARSET.search(body[:4096])
    return _normalise_label(m.group(1).decode("ascii", "ignore")) if m else None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode an HTML body; return (text, encoding used).

    Never raises: when nothing decodes strictly, the best detected guess is used with
    replacement characters, so a page is extracted rather than lost.
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(name, "replace"), name
    for declared in (charset_from_header(content_type), charset_from_meta(body)):
        if declared == "cp1252" and _is_multibyte_utf8(body):
            # Bytes that form valid multi-byte UTF-8 are practically never real cp1252: the
            # label is a server default left over, not the page's encoding.
            return body.decode("utf-8"), "utf-8"
        if declared and _plausible(body, declared):
            try:
                return body.decode(declared), declared
            except (UnicodeDecodeError, LookupError):
                continue
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(body[:65536]).best()
    name = best.encoding if best is not None else "cp1252"
    if name in _LATIN_SINGLE_BYTE:
        # Detectors cannot tell the Latin code pages apart on short text (cp1257 for French
        # is a classic); cp1252 is what undeclared Western pages overwhelmingly are.
        try:
            return body.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    return body.decode(name, "replace"), name


def _plausible(body: bytes, declared: str) -> bool:
    """False when the bytes cannot be in the declared encoding although they decode.

    UTF-16 and UTF-32 text of an HTML page (ASCII markup) is a quarter to a half NUL bytes;
    a body without them labelled UTF-16 (a misconfigured server; browsers ignore the label
    too) would decode, two bytes a character, into CJK nonsense and lose the article.
    """
    if declared.startswith(("utf-16", "utf-32")):
        head = body[:4096]
        return head.count(0) >= len(head) // 8
    return True


def _is_multibyte_utf8(body: bytes) -> bool:
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
