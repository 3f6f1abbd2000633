"""The completeness report and the link checker, on copies of the site fixture tree."""

import itertools
import re
import shutil
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from content_trees import SITE
from django.core.management import call_command
from django.core.management.base import CommandError

from roadmap.content.links import check_urls, content_urls
from roadmap.content.tree import read_tree


@pytest.fixture
def site_tree(tmp_path, settings) -> Path:
    """An editable copy of the site tree, which the commands read as the content directory."""
    root = tmp_path / "content"
    shutil.copytree(SITE, root)
    settings.CONTENT_DIR = root
    return root


def test_a_complete_tree_passes_the_strict_completeness_report(site_tree, capsys):
    call_command("content_report", "--strict")
    out = capsys.readouterr().out
    assert "every stage has every section" in out
    assert "3 tracks, 10 stages" in out


def test_the_report_flags_an_empty_section_and_strict_fails(site_tree, capsys):
    stage = site_tree / "tracks/ops/junior.yaml"
    text, count = re.subn(r"(?m)^courses: .*$", "courses: []", stage.read_text())
    assert count == 1
    stage.write_text(text)
    with pytest.raises(CommandError, match="1 missing section"):
        call_command("content_report", "--strict")
    assert "MISSING ops/junior: no courses" in capsys.readouterr().out


def test_every_course_reading_source_and_markdown_link_is_collected():
    tree = read_tree(SITE)
    urls = content_urls(tree)
    for kind in ("sources", "courses", "reading"):
        assert all(entry.url in urls for entry in tree.items(kind))
    assert urls["https://docs.example.org/story"] == "articles/learning-on-your-own.md"
    assert all(url.startswith(("http://", "https://")) for url in urls)


def point_every_url_at(root: Path, address) -> None:
    """Rewrite every external address in the tree's files, each to its own `address(n)`."""
    numbers = itertools.count()
    for path in root.rglob("*"):
        if path.suffix in (".yaml", ".md"):
            text = re.sub(r"https://[^\s)]+", lambda _: address(next(numbers)), path.read_text())
            path.write_text(text)


def test_without_network_check_links_says_so_and_exits_cleanly(site_tree, capsys):
    with socket.socket() as sock:  # a port nothing listens on: as unreachable as no network
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    point_every_url_at(site_tree, lambda n: f"http://127.0.0.1:{closed}/page-{n}")
    call_command("check_links")
    assert "links were not checked" in capsys.readouterr().out


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(404 if self.path.startswith("/gone") else 200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def web_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_the_checker_reports_a_missing_page_on_a_real_server(web_server):
    results = {r.url: r for r in check_urls([f"{web_server}/ok", f"{web_server}/gone"])}
    assert results[f"{web_server}/ok"].ok
    assert not results[f"{web_server}/gone"].ok
    assert results[f"{web_server}/gone"].detail == "HTTP 404"


def test_check_links_names_each_broken_link_and_the_file_it_is_in(site_tree, web_server, capsys):
    point_every_url_at(site_tree, lambda n: f"{web_server}/{'gone' if n == 3 else 'ok'}/{n}")
    with pytest.raises(CommandError, match="1 broken link"):
        call_command("check_links")
    out = capsys.readouterr().out
    (broken,) = re.findall(r"BROKEN .*", out)
    assert broken.startswith(f"BROKEN {web_server}/gone/3 (HTTP 404) in ")
    assert re.search(r"\d+ links checked, 1 broken", out)
