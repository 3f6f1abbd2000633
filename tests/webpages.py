"""Helpers for the page tests: the public URLs, reading pages, counting queries, more content,
and validating HTML.

Imported by the page tests (tests/test_views_*.py, tests/test_pages_*.py and others): plain
functions, no fixtures, so they stay out of the other suites' way.
"""

import itertools
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmap.catalog import models as m
from roadmap.catalog import selectors
from roadmap.catalog.catalogue import catalogue_forget
from roadmap.ops.content_version import content_version_bump

HTML_VALIDATE = Path(settings.BASE_DIR) / "node_modules/.bin/html-validate"

needs_html_validate = pytest.mark.skipif(
    not HTML_VALIDATE.exists() and not os.environ.get("CI"),
    reason="html-validate is not installed: run `npm ci --no-audit --no-fund`",
)


def html_validate(folder: Path) -> None:
    """Fail with html-validate's report unless every .html file in `folder` is valid."""
    assert HTML_VALIDATE.exists(), "CI must install the npm tools: npm ci --no-audit --no-fund"
    assert shutil.which("node"), "CI needs Node.js for html-validate"
    result = subprocess.run(
        [HTML_VALIDATE, "--config", settings.BASE_DIR / ".htmlvalidate.json", folder],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def public_urls() -> list[str]:
    """Every page a visitor can reach from the site's links, from what the database holds."""
    urls = [reverse(name) for name in ("home", "timelines", "courses", "reading", "guides")]
    for track in selectors.track_list():
        urls.append(reverse("track", args=[track.slug]))
        urls += [reverse("level", args=[track.slug, s.level.slug]) for s in track.visible_stages]
    urls += [reverse("guide", args=[g.slug]) for g in selectors.guide_list()]
    urls += [reverse("article", args=[a.slug]) for a in selectors.article_list()]
    return urls


class Outline(HTMLParser):
    """Headings (level, text), ids and the attributes of every element of one HTML page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.elements: list[tuple[str, dict]] = []
        self._heading: list | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]

    def handle_endtag(self, tag):
        if self._heading and tag == f"h{self._heading[0]}":
            self.headings.append((self._heading[0], " ".join(self._heading[1].split())))
            self._heading = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1] += data

    def h1s(self) -> list[str]:
        return [text for level, text in self.headings if level == 1]

    def find(self, tag: str, **attrs) -> list[dict]:
        return [
            a
            for t, a in self.elements
            if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]


def count_queries(client, url: str, **headers) -> tuple[int, object]:
    """The queries of one request for `url`, as most requests run: after a first request, so the
    catalogue of this content version is already in memory (roadmap/catalog/catalogue.py).
    `cold_queries` counts a request that reads the catalogue afresh."""
    client.get(url, headers=headers)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return len(queries), response


def cold_queries(client, url: str, **headers) -> tuple[int, object]:
    """The queries of a request right after a content change: it reads the catalogue afresh."""
    catalogue_forget()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return len(queries), response


def multiply_content(factor: int) -> None:
    """Make the loaded content `factor` times larger: more tracks, and every list longer.

    Rows are built directly (bulk, fast) and are as visible as the loaded ones, so every page
    shows all of it: `factor` times the tracks, and in every stage `factor` times the items,
    courses and reading; `factor` times the guides, articles, mistakes and catalogue. Like a
    content load, it bumps the content version, so the next request reads the new content.
    """
    _multiply(factor)
    content_version_bump()


def _multiply(factor: int) -> None:
    copies = range(1, factor)
    course_copies = _copies(m.Course, copies)
    reading_copies = _copies(m.Reading, copies)
    for model in (m.Guide, m.Article, m.CommonMistake):
        _copies(model, copies)
    m.StartingPoint.objects.bulk_create(
        _clone(p, order=p.order + n) for n in copies for p in m.StartingPoint.objects.all()
    )

    items, courses, reading = [], [], []
    for stage in m.Stage.objects.prefetch_related("items", "course_links", "reading_links"):
        originals = list(stage.items.all())
        items += [_clone(i, order=i.order + 1000 * n) for n in copies for i in originals]
        for link in stage.course_links.all():
            courses += [
                m.StageCourse(stage=stage, course=c, order=link.order + 1000 * (n + 1))
                for n, c in enumerate(course_copies[link.course_id])
            ]
        for link in stage.reading_links.all():
            if link.reading_id:
                reading += [
                    m.StageReading(stage=stage, reading=r, order=link.order + 1000 * (n + 1))
                    for n, r in enumerate(reading_copies[link.reading_id])
                ]
    m.StageItem.objects.bulk_create(items, batch_size=2000)
    m.StageCourse.objects.bulk_create(courses, batch_size=2000)
    m.StageReading.objects.bulk_create(reading, batch_size=2000)

    stages = list(m.Stage.objects.prefetch_related("items", "course_links", "reading_links"))
    original_tracks = list(m.Track.objects.all())
    for n in copies:
        tracks = {
            t.pk: _clone(t, slug=f"{t.slug}-{n}", name=f"{t.name} {n}", order=t.order + 100 * n)
            for t in original_tracks
        }
        m.Track.objects.bulk_create(tracks.values())
        new_stages = [(s, _clone(s, track=tracks[s.track_id])) for s in stages]
        m.Stage.objects.bulk_create(new for _, new in new_stages)
        m.StageItem.objects.bulk_create(
            (_clone(i, stage=new) for old, new in new_stages for i in old.items.all()),
            batch_size=2000,
        )
        m.StageCourse.objects.bulk_create(
            m.StageCourse(stage=new, course_id=link.course_id, order=link.order)
            for old, new in new_stages
            for link in old.course_links.all()
        )
        m.StageReading.objects.bulk_create(
            m.StageReading(
                stage=new, reading_id=link.reading_id, article_id=link.article_id, order=link.order
            )
            for old, new in new_stages
            for link in old.reading_links.all()
        )


def _copies(model, copies: range) -> dict[int, list]:
    """`len(copies)` clones of every row of a catalogue model, by the original's pk."""
    originals = list(model.objects.all())
    clones = {row.pk: [_clone(row, slug=f"{row.slug}-{n}") for n in copies] for row in originals}
    model.objects.bulk_create([c for group in clones.values() for c in group], batch_size=2000)
    return clones


_ids = itertools.count()


def _clone(row, **changes):
    clone = type(row)(**{f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields})
    clone.pk = None
    clone.content_id = f"t{next(_ids):09d}"  # unique and cheap; real ids are random
    for key, value in changes.items():
        setattr(clone, key, value)
    return clone
