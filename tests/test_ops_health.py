"""/healthz: 200 when the database and the cache answer, 503 with the reason when one does not."""

from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_it_answers_200_when_the_database_and_the_cache_work(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert response["Cache-Control"] == "no-store"


def test_it_answers_503_with_the_reason_when_the_database_is_down(client):
    down = OperationalError('connection to server at "db" failed: Connection refused')
    with mock.patch("roadmap.ops.health.connection.cursor", side_effect=down):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"] == {
        "database": 'OperationalError: connection to server at "db" failed: Connection refused',
        "cache": "ok",
    }


def test_it_answers_503_with_the_reason_when_the_cache_is_down(client):
    with mock.patch("roadmap.ops.health.cache.set", side_effect=ConnectionError("Redis is down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "ConnectionError: Redis is down"


def test_it_answers_probes_that_address_the_instance_by_ip(client):
    assert client.get("/healthz", HTTP_HOST="10.0.3.7:8000").status_code == 200


def test_it_only_answers_reads(client):
    assert client.post("/healthz").status_code == 405
