"""Site-wide guards for /start/, /search/ and /progress/: one <h1>, valid HTML, nothing the
Content-Security-Policy forbids, the page metadata, and which of them may be cached for everyone."""

import re

import pytest
from webpages import html_validate, needs_html_validate

pytestmark = pytest.mark.usefixtures("site_content", "without_page_cache")

SHARED = [  # the same for every visitor
    "/start/",
    "/start/?experience=some",
    "/start/?experience=none&enjoy=patterns",
    "/start/?experience=none&enjoy=interfaces&goal=ai",
    "/search/",
    "/search/?q=testing",
    "/search/?q=%3Cscript%3E+%F0%9F%9A%80",
    "/search/?q=testing&kind=course",
    "/changes/",
    "/changes/?track=web",
]
PERSONAL = ["/progress/"]


@pytest.fixture
def learner(client):
    """A visitor with a tick and a note, so /progress/ shows its full form."""
    from roadmap.catalog.models import ItemKind, StageItem

    item = StageItem.objects.filter(kind=ItemKind.READY_WHEN, retired=False).first()
    client.post(f"/progress/items/{item.content_id}/", {"done": "1"})
    client.post(f"/progress/levels/{item.stage.content_id}/note/", {"text": "<b>note</b>"})
    return client


def pages(client) -> dict[str, str]:
    return {url: client.get(url).text for url in SHARED + PERSONAL}


def test_each_page_has_one_h1_and_headings_that_never_skip_a_level(learner):
    for url, html in pages(learner).items():
        levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", html)]
        assert levels.count(1) == 1, url
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, f"{url}: h{before} then h{after}"


def test_no_page_has_inline_script_style_or_event_handlers(learner):
    for url, html in pages(learner).items():
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "<style" not in html and not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url


def test_every_page_has_a_title_description_canonical_url_and_noindex_where_personal(learner):
    for url, html in pages(learner).items():
        assert re.search(r"<title>[^<]+ — Roadmap</title>", html), url
        assert '<meta name="description" content="' in html, url
        assert '<link rel="canonical" href="http://testserver/' in html, url
    for url in ["/search/?q=testing", "/progress/"]:
        assert '<meta name="robots" content="noindex">' in learner.get(url).text


def test_start_and_search_are_the_same_for_everyone_and_progress_is_never_cached(client):
    for url in SHARED:
        response = client.get(url)
        assert not response.cookies, url
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        assert vary <= {"hx-request"}, url
    assert "no-store" in client.get("/progress/")["Cache-Control"]


@needs_html_validate
def test_every_page_is_valid_html(learner, tmp_path):
    for n, html in enumerate(pages(learner).values()):
        (tmp_path / f"page{n:03}.html").write_text(html)
    (tmp_path / "new-link.html").write_text(learner.post("/progress/link/").text)
    (tmp_path / "bad-link.html").write_text(learner.get("/progress/link/nope/").text)
    token = re.search(r"/progress/link/([\w-]{43})/", learner.post("/progress/link/").text)[1]
    confirm = learner.get(learner.get(f"/progress/link/{token}/")["Location"]).text
    (tmp_path / "confirm-link.html").write_text(confirm)
    for n, url in enumerate(["/search/?q=testing", "/start/?experience=some"]):
        title, partial = learner.get(url, headers={"HX-Request": "true"}).text.split("\n", 1)
        page = f'<!doctype html><html lang="en"><head>{title}</head><body>{partial}</body></html>'
        (tmp_path / f"partial{n}.html").write_text(page)
    suggestions = learner.get("/search/suggest/?q=testing", headers={"HX-Request": "true"}).text
    assert 'role="listbox"' in suggestions
    (tmp_path / "suggestions.html").write_text(
        '<!doctype html><html lang="en"><head><title>Suggestions</title></head><body>'
        f"{suggestions}</body></html>"
    )
    html_validate(tmp_path)
