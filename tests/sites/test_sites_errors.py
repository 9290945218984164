"""Hostile sites files through the real `newscrawl sites` and `crawl` commands: exit code 2 and
one line naming the file and the fix, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newscrawl.sites import SitesFileError, load_sites

COMMAND = str(Path(sys.executable).parent / "newscrawl")


def site(key: str = "bad", home: str = "https://bad.example/", extra: str = "") -> str:
    return f'[[site]]\nkey = "{key}"\nname = "Bad Site"\nhome = "{home}"\n{extra}'


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([COMMAND, *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("content", "message"), [
    (site(key="gossip\\n").encode(), "key 'key': must be a lower-case slug"),
    (site(home="https://bad.example:99999/").encode(), "has an invalid port (use 1-65535)"),
    (site(home="http://bad.example:0/").encode(), "has an invalid port"),
    (site(home="http://bad.example:http/").encode(), "has an invalid port"),
    (site(extra='feeds = ["https://bad.example:70000/feed"]\n').encode(),
     "key 'feeds': 'https://bad.example:70000/feed' has an invalid port"),
    (site(home="https://bad.example/\\n").encode(), "contains whitespace or control characters"),
    (site(home="http://:8080/").encode(), "is not an absolute http(s) URL"),
    ("# Café Célèbre\n".encode("latin-1") + site().encode(), "not UTF-8 text (byte 5)"),
])
def test_bad_sites_file_is_one_line_and_exit_2(tmp_path: Path, content: bytes,
                                               message: str) -> None:
    path = tmp_path / "sites.toml"
    path.write_bytes(content)
    done = run("sites", "--sites", str(path))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(str(path)) and message in done.stderr


def test_a_directory_as_sites_file(tmp_path: Path) -> None:
    done = run("sites", "--sites", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr == f"{tmp_path}: is a directory; give the path of a TOML file\n"


def test_crawl_refuses_an_invalid_port_before_fetching_anything(tmp_path: Path) -> None:
    path = tmp_path / "sites.toml"
    path.write_text(site(home="http://127.0.0.1:99999/"), encoding="utf-8")
    out = tmp_path / "out"
    done = run("crawl", "--sites", str(path), "--out", str(out))
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "has an invalid port" in done.stderr
    assert not list(out.glob("site=*"))


def test_valid_ports_and_keys_still_pass(tmp_path: Path) -> None:
    path = tmp_path / "sites.toml"
    path.write_text(site(key="ok-1", home="http://127.0.0.1:65535/")
                    + site(key="ok_2", home="https://[::1]:8443/"), encoding="utf-8")
    assert [s.key for s in load_sites(path)] == ["ok-1", "ok_2"]
    path.write_text(site(key="x\\n"), encoding="utf-8")
    with pytest.raises(SitesFileError):
        load_sites(path)
