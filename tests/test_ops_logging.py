"""Request logs: one JSON object per line, one line per request, with an id the response repeats."""

import io
import json
import logging
import sys

import pytest

from roadmap.ops.logging import JsonFormatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("roadmap.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def test_each_request_writes_one_json_line(client, log_lines):
    response = client.get("/healthz?probe=1", HTTP_USER_AGENT="kube-probe/1.30")
    (line,) = log_lines()
    assert line["message"] == "request"
    assert line["level"] == "info"
    assert (line["method"], line["path"], line["query"]) == ("GET", "/healthz", "probe=1")
    assert (line["status"], line["bytes"]) == (200, len(response.content))
    assert line["user_agent"] == "kube-probe/1.30"
    assert line["request_id"] == response["X-Request-ID"]
    assert line["duration_ms"] >= 0
    assert line["time"].endswith("+00:00")


def test_a_request_id_from_the_proxy_is_kept_and_a_strange_one_replaced(client, log_lines):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="no spaces, please")["X-Request-ID"]
    assert len(replaced) == 32
    assert [line["request_id"] for line in log_lines()] == ["abc-123", replaced]


def test_errors_are_json_too_with_the_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "failed %s", ("here",), sys.exc_info()
        )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "failed here"
    assert "ValueError: boom" in entry["exception"]
