"""newscrawl.sites: loading and validating sites files, selecting sites, the built-in file."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscrawl.sites import Site, SitesFileError, builtin_sites_path, load_sites, select_sites

GOOD = """\
# two outlets, one with every optional hint
[[site]]
key = "silver-screen"
name = "Silver Screen Daily"
home = "https://www.silverscreen.example/"
sitemaps = ["https://www.silverscreen.example/news-sitemap.xml"]
feeds = ["https://www.silverscreen.example/feed/"]
sections = ["https://www.silverscreen.example/film/"]
allow = ['^/\\d{4}/\\d{2}/\\d{2}/']
deny = ['^/video/']
extra_boilerplate = ["div.newsletter-signup"]
language = "en"
domains = ["m.silverscreen.example"]

[[site]]
key = "gossip_wire"
name = "Gossip Wire"
home = "http://127.0.0.1:8080/"
"""


def write(tmp_path: Path, text: str, name: str = "sites.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def entry(key: str = "bad", **extra: str) -> str:
    lines = ["[[site]]", f'key = "{key}"', 'name = "Bad Site"', 'home = "https://bad.example/"']
    lines += [f"{k} = {v}" for k, v in extra.items()]
    return "\n".join(lines) + "\n"


def load_error(path: Path) -> list[str]:
    with pytest.raises(SitesFileError) as caught:
        load_sites(path)
    return str(caught.value).splitlines()


def test_valid_file(tmp_path: Path) -> None:
    sites = load_sites(write(tmp_path, GOOD))
    assert [s.key for s in sites] == ["silver-screen", "gossip_wire"]
    full, minimal = sites
    assert full.name == "Silver Screen Daily"
    assert full.sitemaps == ("https://www.silverscreen.example/news-sitemap.xml",)
    assert full.feeds == ("https://www.silverscreen.example/feed/",)
    assert full.sections == ("https://www.silverscreen.example/film/",)
    assert [p.pattern for p in full.allow] == [r"^/\d{4}/\d{2}/\d{2}/"]
    assert full.allow[0].search("/2026/03/02/star-wins/")
    assert [p.pattern for p in full.deny] == ["^/video/"]
    assert full.extra_boilerplate == ("div.newsletter-signup",)
    assert full.language == "en"
    assert full.allowed_hosts == frozenset({"silverscreen.example", "m.silverscreen.example"})
    assert minimal == Site(key="gossip_wire", name="Gossip Wire", home="http://127.0.0.1:8080/")
    assert minimal.allowed_hosts == frozenset({"127.0.0.1:8080"})


@pytest.mark.parametrize(("body", "site", "key", "says"), [
    ('[[site]]\nname = "No Key"\nhome = "https://nokey.example/"\n',
     "#3", "key", "required"),  # no key: named by its position
    ('[[site]]\nkey = "nameless"\nhome = "https://x.example/"\n', "nameless", "name", "required"),
    ('[[site]]\nkey = "homeless"\nname = "Homeless"\n', "homeless", "home", "required"),
    (entry("Silver Screen"), "Silver Screen", "key", "slug"),
    (entry("silver.screen"), "silver.screen", "key", "slug"),
    ('[[site]]\nkey = "bad"\nname = "Bad"\nhome = "bad.example"\n', "bad", "home",
     "not an absolute http(s) URL"),
    ('[[site]]\nkey = "bad"\nname = "Bad"\nhome = "ftp://bad.example/"\n', "bad", "home",
     "not an absolute http(s) URL"),
    (entry(feeds='["/feed/"]'), "bad", "feeds", "not an absolute http(s) URL"),
    (entry(sitemaps='["https:/bad.example/sitemap.xml"]'), "bad", "sitemaps",
     "not an absolute http(s) URL"),
    (entry(allow='["(unclosed"]'), "bad", "allow", "not a valid regex"),
    (entry(deny='["[a-"]'), "bad", "deny", "not a valid regex"),
    (entry(colour='"red"'), "bad", "colour", "unknown key"),
    (entry(feeds='"https://bad.example/feed/"'), "bad", "feeds", "must be a list of strings"),
    (entry(language='"english-language"'), "bad", "language", "language code"),
])
def test_entry_error_names_file_site_and_key(tmp_path: Path, body: str, site: str, key: str,
                                             says: str) -> None:
    path = write(tmp_path, GOOD + "\n" + body)
    lines = load_error(path)
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}: site {site}: key '{key}': ")
    assert says in lines[0]


def test_duplicate_site_key(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "\n" + entry("gossip_wire"))
    assert load_error(path) == [
        f"{path}: site gossip_wire: key 'key': duplicate key 'gossip_wire'"]


def test_duplicate_toml_key_is_a_toml_error(tmp_path: Path) -> None:
    path = write(tmp_path, '[[site]]\nkey = "a"\nkey = "b"\nname = "A"\nhome = "https://a.example/"\n')
    [line] = load_error(path)
    assert line.startswith(f"{path}: not valid TOML (")


def test_every_bad_entry_gets_its_own_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + entry("one", colour='"red"') + entry("two", allow='["("]')
                 + entry("Three"))
    lines = load_error(path)
    assert [line.split(": ")[1] for line in lines] == ["site one", "site two", "site Three"]
    assert all(line.startswith(f"{path}: ") for line in lines)


@pytest.mark.parametrize("text", ["[[site]\nkey = ", "key = 'unterminated\n", "\x00\x01"])
def test_not_toml(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    [line] = load_error(path)
    assert line.startswith(f"{path}: not valid TOML (")


@pytest.mark.parametrize("text", ["", "# only a comment\n", 'title = "sites"\n', "site = []\n",
                                  'site = "people"\n',
                                  '[site]\nkey = "a"\nname = "A"\nhome = "https://a.example/"\n'])
def test_no_entries(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    assert load_error(path) == [f"{path}: no [[site]] entries"]


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    assert load_error(path) == [f"{path}: no such sites file"]


def test_site_array_of_strings(tmp_path: Path) -> None:
    path = write(tmp_path, 'site = ["people", "tmz"]\n')
    [line] = load_error(path)
    assert line.startswith(f"{path}: ")


def test_select_sites() -> None:
    sites = [Site("a", "A", "https://a.example/"), Site("b", "B", "https://b.example/"),
             Site("c", "C", "https://c.example/")]
    assert select_sites(sites, []) == sites
    assert [s.key for s in select_sites(sites, ["c", "a"])] == ["c", "a"]
    with pytest.raises(SitesFileError) as caught:
        select_sites(sites, ["a", "zz", "yy"])
    message = str(caught.value)
    assert "zz, yy" in message and "newscrawl sites" in message
    assert "\n" not in message


def test_builtin_sites_file() -> None:
    assert builtin_sites_path().name == "sites.toml"
    sites = load_sites()
    assert len(sites) >= 20
    keys = [s.key for s in sites]
    assert len(set(keys)) == len(keys)
    assert [s.key for s in sites if not s.home.startswith("https://")] == []
    assert load_sites(builtin_sites_path()) == sites
