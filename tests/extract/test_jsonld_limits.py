"""JSON-LD bombs: deep nesting and huge lists cost neither the article nor much time."""

from __future__ import annotations

import json

import pytest
from lxml import html

from newscrawl.extract import extract_article
from newscrawl.extract.jsonld import MAX_DEPTH, _load, _walk, cut_deep, read_jsonld
from tests.extract.test_batch import PAGE, URL

TITLE = "Marlowe Quinn Joins Cast of ‘The Lantern Keepers’"
ARTICLE = {"@type": "NewsArticle", "headline": "The JSON-LD headline",
           "datePublished": "2026-03-02T21:30:00-05:00",
           "author": {"@type": "Person", "name": "Jane Doe"}}


def with_script(script: str, replace_article: bool = False) -> bytes:
    """The test page with one more JSON-LD block (or with it instead of the page's own)."""
    page = PAGE
    if replace_article:
        start = page.index('<script type="application/ld+json">')
        page = page[:start] + page[page.index("</script>", start) + len("</script>"):]
    block = f'<script type="application/ld+json">{script}</script>'
    return page.replace("</head>", block + "</head>").encode("utf-8")


def nested(depth: int, inner: str = "1") -> str:
    return "[" * depth + inner + "]" * depth


@pytest.mark.parametrize("bomb", [
    nested(200_000),                                  # deeper than any parser's stack
    '{"a":' * 100_000 + "1" + "}" * 100_000,
    "[" * 300_000,                                    # unbalanced: not JSON at all
    '"\\"' * 200_000,                                 # an unterminated string of escapes
])
def test_a_depth_bomb_beside_the_article_costs_nothing(bomb: str) -> None:
    result = extract_article(with_script(bomb), URL)
    assert result.record is not None, result.reason
    assert result.record["title"] == TITLE
    assert result.record["authors"] == ["Jane Doe"]
    assert result.record["title_source"] == "jsonld"


def test_deep_nesting_inside_the_article_node_is_cut_and_the_node_read() -> None:
    node = json.dumps({**ARTICLE, "mentions": "@@"}).replace('"@@"', nested(100_000, "{}"))
    page = with_script(node, replace_article=True)
    assert read_jsonld(html.fromstring(page)).headline == "The JSON-LD headline"
    result = extract_article(page, URL)
    assert result.record is not None, result.reason
    assert result.record["authors"] == ["Jane Doe"] and result.record["title"] == TITLE


def test_cut_deep_keeps_what_is_shallow() -> None:
    raw = '{"a": [[["x]]]", {"b": [1]}]]], "c": "{[", "d": [2]}'
    assert json.loads(cut_deep(raw, 2)) == {"a": [None], "c": "{[", "d": [2]}
    assert json.loads(cut_deep(raw, 10)) == json.loads(raw)
    bomb = nested(10_000)
    assert json.loads(cut_deep(bomb, MAX_DEPTH)) == json.loads(nested(MAX_DEPTH, "null"))


def test_a_million_item_flat_list_is_walked_in_linear_time() -> None:
    graph = '{"@graph": [' + json.dumps(ARTICLE) + "," + ",".join(["0"] * 1_000_000) + "]}"
    page = with_script(graph, replace_article=True)
    assert read_jsonld(html.fromstring(page)).headline == "The JSON-LD headline"
    result = extract_article(page, URL)
    assert result.record is not None, result.reason
    assert result.record["published_at_source"] == "jsonld"


def test_an_article_node_behind_a_million_items_is_not_searched_for_but_the_page_kept() -> None:
    graph = "[" + ",".join(["{}"] * 1_000_000) + "," + json.dumps(ARTICLE) + "]"
    page = with_script(graph, replace_article=True)
    assert read_jsonld(html.fromstring(page)).headline is None
    result = extract_article(page, URL)
    assert result.record is not None, result.reason
    assert result.record["title"] == TITLE   # from the page's headline markup


def test_walk_visits_dicts_in_document_order() -> None:
    data = [{"@id": "a", "@graph": [{"@id": "c"}]}, [{"@id": "b"}]]
    assert [node["@id"] for node in _walk(data)] == ["a", "b", "c"]


def test_long_lists_in_a_node_are_read_up_to_a_limit() -> None:
    node = {**ARTICLE, "author": [{"@type": "Person", "name": f"Writer {n}"}
                                  for n in range(20_000)],
            "keywords": ",".join(f"tag{n}" for n in range(20_000))}
    tree = html.fromstring(with_script(json.dumps(node), replace_article=True))
    article = read_jsonld(tree)
    assert article.headline == "The JSON-LD headline"
    assert article.authors[:2] == ["Writer 0", "Writer 1"] and len(article.authors) == 100
    assert len(article.keywords) == 100


def test_load_never_raises() -> None:
    assert _load(nested(50_000)) is not None
    assert _load("x" * 5_000_000) is None   # over the size limit: skipped
    assert _load("{") is None
