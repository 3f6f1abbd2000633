"""Abuse that needs a real server: bodies cut short, bodies far too large, slow clients, HEAD
and hostile headers, against the site under gunicorn in production mode (SQLite, no Redis)."""

import json
import socket
import threading
import time

import pytest
from faults.servers import SITE, Browser, Site

JUNIOR = "qgn88sqegp"  # a level of the valid fixture tree
NOTE = f"/progress/levels/{JUNIOR}/note/"


@pytest.fixture(scope="module")
def site(tmp_path_factory, collected_static, migrated_sqlite):
    work = tmp_path_factory.mktemp("abuse")
    site = Site(
        work,
        f"sqlite:///{work / 'db.sqlite3'}",
        static_root=collected_static,
        migrated_sqlite=migrated_sqlite,
    )
    site.start()
    yield site
    site.stop()


def raw(site: Site, head: str, body: bytes = b"", *, close_after_sending: bool = True) -> str:
    """Send bytes exactly as given (then stop sending); the server's answer."""
    with socket.create_connection(("127.0.0.1", site.port), timeout=30) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        if close_after_sending:
            sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer.decode("utf-8", "replace")


def notes_of(browser: Browser) -> list[str]:
    export = json.loads(browser.get("/progress/progress.json").text)
    return [note["text"] for note in export["notes"]]


def test_a_body_cut_short_is_refused_and_the_previous_note_is_kept(site):
    learner = Browser(site)
    assert learner.post(NOTE, {"text": "My whole note."}).status == 303
    fragment = b"text=" + b"a" * 1495
    head = (
        f"POST {NOTE} HTTP/1.1\nHost: {SITE}\nX-Forwarded-Proto: https\n"
        "Sec-Fetch-Site: same-origin\nContent-Type: application/x-www-form-urlencoded\n"
        f"Cookie: sessionid={learner.cookies['sessionid']}\nContent-Length: 4008\n"
    )
    answer = raw(site, head, fragment)
    assert answer.startswith("HTTP/1.1 400 ")
    assert "The request ended before all of it arrived" in answer
    assert "Nothing was changed." in answer
    assert notes_of(learner) == ["My whole note."]


def test_a_huge_declared_body_is_refused_before_it_is_sent(site):
    head = (
        f"POST /progress/import/ HTTP/1.1\nHost: {SITE}\nX-Forwarded-Proto: https\n"
        "Content-Type: multipart/form-data; boundary=x\nContent-Length: 104857600\n"
    )
    answer = raw(site, head)  # not one byte of the 100 MB follows
    assert answer.startswith("HTTP/1.1 413 ")
    assert "this address accepts at most 1.0 MB. Nothing was changed." in answer


class SlowClient(threading.Thread):
    """Sends a request a byte at a time, never finishing: its headers, or its body."""

    def __init__(self, site: Site, part: str):
        super().__init__(daemon=True)
        self.sock = socket.create_connection(("127.0.0.1", site.port), timeout=30)
        head = f"POST {NOTE} HTTP/1.1\r\nHost: {SITE}\r\nContent-Length: 5000\r\n"
        self.sent, self.stopped = 0, threading.Event()
        if part == "headers":
            self.trickle = (head + "X-Slow: " + "a" * 4000).encode()
        else:
            self.sock.sendall(head.encode() + b"\r\n")
            self.trickle = b"text=" + b"a" * 4995

    def run(self):
        for byte in self.trickle:
            if self.stopped.wait(0.2):
                break
            try:
                self.sock.sendall(bytes([byte]))
            except OSError:
                break
            self.sent += 1

    def stop(self):
        self.stopped.set()
        self.sock.close()


@pytest.mark.parametrize("count", [2, 10])
def test_slow_clients_do_not_stop_the_home_page_answering(site, count):
    slow = [SlowClient(site, "headers" if n % 2 else "body") for n in range(count)]
    for client in slow:
        client.start()
    try:
        # Every slow client is connected and sending, each holding what it can hold. No time
        # limit: each client either sends a byte every 0.2 s or stops when the server drops it.
        while not all(client.sent > 3 or not client.is_alive() for client in slow):
            time.sleep(0.1)
        assert all(client.sent > 3 for client in slow)
        answers = [Browser(site).get("/").status for _ in range(30)]
        assert answers == [200] * 30
        assert all(client.is_alive() for client in slow)  # still holding on meanwhile
    finally:
        for client in slow:
            client.stop()


@pytest.mark.parametrize("path", ["/guides/", "/search/?q=deploy", "/robots.txt", "/sitemap.xml"])
def test_head_answers_like_get_without_a_body(site, path):
    head = raw(site, f"HEAD {path} HTTP/1.1\nHost: {SITE}\nX-Forwarded-Proto: https\n")
    status_line, _, rest = head.partition("\r\n")
    assert status_line == "HTTP/1.1 200 OK"
    assert rest.endswith("\r\n\r\n")  # headers only


def test_trace_and_put_answer_405_with_allow(site):
    for method in ("TRACE", "PUT", "DELETE"):
        answer = site.request(method, "/sitemap.xml")
        assert answer.status == 405
        assert answer.headers["Allow"] == "GET, HEAD"
        assert "<urlset" not in answer.text


def test_a_bad_host_and_a_huge_cookie_log_one_json_line_each_without_a_traceback(site):
    marker = f"evil-{time.monotonic_ns()}.example"
    assert site.request("GET", "/", headers={"Host": marker}).status == 400
    assert site.request("GET", "/", headers={"Cookie": "tracking=" + "A" * 5000}).status == 200
    escape = "tracking=\x1b[31m" + "A" * 5000  # a terminal escape: gunicorn refuses the header
    assert site.request("GET", "/", headers={"Cookie": escape}).status == 400
    lines = site.log.read_text().splitlines()
    entries = [json.loads(line) for line in lines]  # every line is JSON, gunicorn's own too
    bad_host = [e for e in entries if marker in e["message"]]
    assert len(bad_host) == 1
    assert bad_host[0]["level"] == "warning" and "exception" not in bad_host[0]
    assert not any("\x1b" in line or "A" * 1000 in line for line in lines)
