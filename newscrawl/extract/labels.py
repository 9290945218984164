"""Words pages use to label a story's details in a facts list or table ('Datum', 'Author:',
'掲載日'): signals.py reads the value beside such a label, prune.py drops the list from the
text."""

from __future__ import annotations

import re

# The author and the date field of a list of facts, in the languages news sites use.
AUTHOR_LABEL = re.compile(
    r"^(?:written by|authors?|autor(?:in|en)?(?:/autor(?:in)?)?|auteure?s?|autor[ei]|autores"
    r"|forfatter|auteur\(e\)s?)\s*:?$", re.IGNORECASE)
DATE_LABEL = re.compile(
    r"^(?:date|datum|dato|data|fecha|published|publication date|veröffentlicht(?: am)?"
    r"|erschienen(?: am)?|publiziert(?: am)?|publié(?: le)?|date de publication|publicado(?: el)?"
    r"|fecha de publicación|pubblicato(?: il)?|publisert|publicerad|gepubliceerd(?: op)?"
    r"|公開日|掲載日|投稿日|配信日|配信開始日|発行日|发布日期|发布时间|게시일|작성일|등록일)\s*[:：]?$",
    re.IGNORECASE)
