"""Site entries: the declarative description of one outlet, and the sites-file loader."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from newscrawl.urls import registered_host

# Matched with fullmatch: `$` would also accept a key ending in a newline.
KEY_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
_LIST_KEYS = ("sitemaps", "feeds", "sections", "allow", "deny", "extra_boilerplate", "domains")
_KNOWN_KEYS = frozenset(("key", "name", "home", "language", *_LIST_KEYS))


class SitesFileError(ValueError):
    """A sites file or one of its entries is invalid; the message names file, site and key."""


@dataclass(frozen=True)
class Site:
    """One outlet. Only `key`, `name` and `home` are required; every hint only adds to
    auto-discovery, so a wrong hint costs a 404, never an empty crawl."""

    key: str
    name: str
    home: str
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    allow: tuple[re.Pattern[str], ...] = ()
    deny: tuple[re.Pattern[str], ...] = ()
    extra_boilerplate: tuple[str, ...] = ()
    language: str | None = None
    domains: tuple[str, ...] = field(default=())

    @property
    def allowed_hosts(self) -> frozenset[str]:
        """Hosts the crawl of this site may fetch from (home's host plus `domains`)."""
        hosts = {registered_host(self.home)}
        hosts.update(d.lower().removeprefix("www.") for d in self.domains)
        return frozenset(hosts)


def builtin_sites_path() -> Path:
    """Path of the sites file shipped with the package."""
    return Path(str(resources.files("newscrawl.sites") / "sites.toml"))


def load_sites(path: str | Path | None = None) -> list[Site]:
    """Read and validate a sites file (the built-in one when `path` is None).

    Raises SitesFileError with one line per problem, each naming the file, the site and the key.
    """
    file = Path(path) if path is not None else builtin_sites_path()
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SitesFileError(f"{file}: no such sites file") from None
    except IsADirectoryError:
        raise SitesFileError(f"{file}: is a directory; give the path of a TOML file") from None
    except OSError as exc:
        raise SitesFileError(f"{file}: cannot read it ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise SitesFileError(f"{file}: not UTF-8 text (byte {exc.start}); save it as UTF-8") \
            from None
    except tomllib.TOMLDecodeError as exc:
        raise SitesFileError(f"{file}: not valid TOML ({exc})") from None
    entries = data.get("site")
    if not isinstance(entries, list) or not entries:
        raise SitesFileError(f"{file}: no [[site]] entries")
    if not all(isinstance(entry, dict) for entry in entries):
        raise SitesFileError(f"{file}: `site` must be [[site]] tables with key, name and home")
    sites: list[Site] = []
    problems: list[str] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        label = _label(entry.get("key"), index)
        try:
            site = _parse_entry(entry)
        except ValueError as exc:
            key, _, message = str(exc).partition(": ")
            problems.append(f"{file}: site {label}: key '{key}': {message}")
            continue
        if site.key in seen:
            problems.append(f"{file}: site {label}: key 'key': duplicate key {site.key!r}")
            continue
        seen.add(site.key)
        sites.append(site)
    if problems:
        raise SitesFileError("\n".join(problems))
    return sites


def _label(key: object, index: int) -> str:
    """How an entry is named in messages: its key (quoted when it holds a newline or other
    unprintable character, so the message stays one line), or its position."""
    if not isinstance(key, str):
        return f"#{index}"
    return key if key.isprintable() else repr(key)


def select_sites(sites: list[Site], keys: list[str]) -> list[Site]:
    """Keep the sites named by `keys` (all when empty); unknown keys raise SitesFileError."""
    if not keys:
        return sites
    by_key = {s.key: s for s in sites}
    unknown = [k for k in keys if k not in by_key]
    if unknown:
        raise SitesFileError(
            f"unknown site key(s): {', '.join(unknown)}; `newscrawl sites` lists the keys")
    return [by_key[k] for k in keys]


def _parse_entry(entry: dict[str, object]) -> Site:
    unknown = set(entry) - _KNOWN_KEYS
    if unknown:
        known = ", ".join(sorted(_KNOWN_KEYS))
        raise ValueError(f"{sorted(unknown)[0]}: unknown key (known: {known})")
    for required in ("key", "name", "home"):
        if not isinstance(entry.get(required), str) or not str(entry[required]).strip():
            raise ValueError(f"{required}: required, must be a non-empty string")
    key = str(entry["key"])
    if not KEY_PATTERN.fullmatch(key):
        raise ValueError("key: must be a lower-case slug of a-z, 0-9, '_' and '-'")
    home = str(entry["home"])
    _check_url("home", home)
    lists: dict[str, tuple[str, ...]] = {}
    for name in _LIST_KEYS:
        value = entry.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"{name}: must be a list of strings")
        lists[name] = tuple(value)
    for name in ("sitemaps", "feeds", "sections"):
        for url in lists[name]:
            _check_url(name, url)
    language = entry.get("language")
    if language is not None and (not isinstance(language, str) or not 2 <= len(language) <= 8):
        raise ValueError("language: must be a language code such as 'en'")
    return Site(
        key=key, name=str(entry["name"]), home=home,
        sitemaps=lists["sitemaps"], feeds=lists["feeds"], sections=lists["sections"],
        allow=_compile("allow", lists["allow"]), deny=_compile("deny", lists["deny"]),
        extra_boilerplate=lists["extra_boilerplate"], language=language,
        domains=lists["domains"],
    )


def _check_url(name: str, url: str) -> None:
    # urlsplit silently drops tabs and newlines; a URL holding them is a typo, not a URL.
    if any(char.isspace() or ord(char) < 32 for char in url):
        raise ValueError(f"{name}: {url!r} contains whitespace or control characters")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{name}: {url!r} is not an absolute http(s) URL")
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        raise ValueError(f"{name}: {url!r} has an invalid port (use 1-65535)")


def _compile(name: str, patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise ValueError(f"{name}: {pattern!r} is not a valid regex ({exc})") from None
    return tuple(compiled)
