"""The completeness report and the link checker."""

import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from roadmap.content.links import check_urls, content_urls, network_available
from roadmap.content.tree import read_tree


def test_the_real_content_passes_the_strict_completeness_report(capsys):
    call_command("content_report", "--strict")
    out = capsys.readouterr().out
    assert "every stage has every section" in out
    tree = read_tree(settings.CONTENT_DIR)
    stages = sum(len(by_level) for by_level in tree.stages.values())
    assert f"{len(tree.tracks)} tracks, {stages} stages" in out


def test_the_report_flags_an_empty_section_and_strict_fails(tmp_path, settings, capsys):
    root = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, root)
    stage = root / "tracks/devops/senior.yaml"
    lines = stage.read_text().splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("courses:"))
    lines[start] = "courses: []\n"
    # drop a block-style list that followed the key, if any
    while start + 1 < len(lines) and lines[start + 1].startswith("  - "):
        del lines[start + 1]
    stage.write_text("".join(lines))
    settings.CONTENT_DIR = root
    with pytest.raises(CommandError, match="1 missing section"):
        call_command("content_report", "--strict")
    assert "MISSING devops/senior: no courses" in capsys.readouterr().out


def test_every_course_reading_and_source_url_is_collected():
    tree = read_tree(settings.CONTENT_DIR)
    urls = content_urls(tree)
    for kind in ("sources", "courses", "reading"):
        assert all(entry.url in urls for entry in tree.items(kind))
    assert all(url.startswith(("http://", "https://")) for url in urls)


def test_without_network_check_links_says_so_and_exits_cleanly(capsys):
    reachable, _ = network_available("https://survey.stackoverflow.co/", timeout=3)
    if reachable:
        pytest.skip("this machine has internet access; the offline path cannot be exercised")
    call_command("check_links")
    assert "links were not checked" in capsys.readouterr().out


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/ok" else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_checker_reports_a_missing_page_on_a_real_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        results = {r.url: r for r in check_urls([f"{base}/ok", f"{base}/gone"])}
    finally:
        server.shutdown()
    assert results[f"{base}/ok"].ok
    assert not results[f"{base}/gone"].ok and results[f"{base}/gone"].detail == "HTTP 404"
