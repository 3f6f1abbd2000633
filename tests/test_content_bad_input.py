"""Bad content never reaches the database, and editors get one clear line per problem.

Each directory under tests/content/bad/ is one case. It holds only what differs from the valid
tree in tests/content/valid/: files overlaid onto a temporary copy of it, an optional `delete.txt`
(paths to remove from the copy, one a line), an optional `generate.py` that either lists `EDITS`
((old, new) pairs, each found exactly once) to make in its `FILE`, or has a `generate(root)` that
writes files too big or too odd to commit, and `expected.txt`: the exact error lines, with the
copy's location written as `content/` (lines starting with `#` describe the case).

Every case must give exactly its expected lines from `read_tree`, from `validate_content` (exit
status 1, no traceback) and from `content_load` (which must leave every catalog table as it was);
one test per case reads one copy all three ways.

tests/content/sanitise/ holds cases built the same way from valid content with hostile Markdown:
each loads, the stored HTML keeps nothing a browser would run or embed, and the fragments listed
in the case's `kept.txt` (the harmless rest of the text) survive.
"""

import runpy
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from roadmap.catalog import models as m
from roadmap.content.errors import ContentInvalid, display_path
from roadmap.content.fixer import content_fix
from roadmap.content.loader import content_load
from roadmap.content.tree import read_tree

FIXTURES = Path(__file__).parent / "content"
VALID = FIXTURES / "valid"
CASE_FILES = {"expected.txt", "delete.txt", "generate.py", "kept.txt"}


def _case_dirs(kind: str) -> list[Path]:
    return sorted(path for path in (FIXTURES / kind).iterdir() if path.is_dir())


BAD_CASES = _case_dirs("bad")
SANITISE_CASES = _case_dirs("sanitise")


def build_tree(case: Path, dest: Path) -> Path:
    """A copy of the valid tree at `dest/content` with the case's changes applied."""
    root = dest.resolve() / "content"
    shutil.copytree(VALID, root)
    for source in sorted(case.rglob("*")):
        relative = source.relative_to(case)
        if source.is_dir() or "__pycache__" in relative.parts:
            continue
        if len(relative.parts) == 1 and relative.name in CASE_FILES:
            continue
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    for relative in _lines(case / "delete.txt"):
        target = root / relative
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
    if (case / "generate.py").exists():
        script = runpy.run_path(str(case / "generate.py"))
        if "generate" in script:
            script["generate"](root)
        else:
            _edit(root / script["FILE"], script["EDITS"])
    return root


def _edit(path: Path, edits: list[tuple[str, str]]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, f"{old!r} should occur once in {path}"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def _lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def expected(case: Path) -> list[str]:
    return _lines(case / "expected.txt")


def as_editor_sees(lines, root: Path) -> list[str]:
    """Error lines with the temporary copy's location written as `content/`."""
    prefix = display_path(root) + "/"
    return [str(line).replace(prefix, "content/") for line in lines]


def catalog_snapshot() -> dict[str, list[dict]]:
    """Every row of every catalog table, in primary-key order."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_app_config("catalog").get_models()
    }


def test_every_case_directory_has_expected_errors():
    assert len(BAD_CASES) >= 30
    for case in BAD_CASES:
        assert expected(case), f"{case.name}/expected.txt lists no error"


@pytest.fixture(scope="module")
def valid_loaded(django_db_setup, django_db_blocker) -> dict[str, list[dict]]:
    """The valid tree loaded once for this module (in a transaction undone after its last test);
    every catalog row as it stands then."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            content_load(root=VALID, actor="tests")
            before = catalog_snapshot()
            assert before[m.Stage._meta.label], "the valid tree should have loaded"
            yield before
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.parametrize("case", BAD_CASES, ids=lambda case: case.name)
def test_the_validator_the_command_and_a_load_report_exactly_the_expected_errors(
    case, tmp_path, valid_loaded, db
):
    """One copy of the case, read the three ways an editor meets it: `read_tree` (what the
    workflow annotates), `validate_content` (exit status 1, every error, no traceback) and
    `content_load` (refused, with every catalog table left as it was)."""
    root = build_tree(case, tmp_path)
    assert as_editor_sees(read_tree(root).errors, root) == expected(case)

    stdout, stderr = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("validate_content", str(root), stdout=stdout, stderr=stderr)
    assert raised.value.returncode == 1
    assert as_editor_sees(stdout.getvalue().splitlines(), root) == expected(case)
    assert "Traceback" not in stdout.getvalue() + stderr.getvalue()

    with pytest.raises(ContentInvalid) as refused:
        content_load(root=root, actor="tests")
    assert as_editor_sees(refused.value.errors, root) == expected(case)
    assert catalog_snapshot() == valid_loaded


@pytest.mark.parametrize("case", BAD_CASES, ids=lambda case: case.name)
def test_content_fix_neither_crashes_nor_hangs_on_bad_input(case, tmp_path):
    """Every error message sends editors to content_fix, so it must survive whatever they wrote:
    it finishes (an alias bomb or deep nesting is refused, not expanded) and touches no file it
    cannot make valid beyond ids and the schema line."""
    root = build_tree(case, tmp_path)
    result = content_fix(root=root)
    assert all(count > 0 for count in result.changed.values())


def test_validate_content_run_from_the_shell_exits_with_status_1_without_a_traceback(tmp_path):
    case = FIXTURES / "bad" / "python-object-tag"
    root = build_tree(case, tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "validate_content", str(root)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert as_editor_sees(result.stdout.splitlines(), root) == expected(case)
    assert "1 error(s) in 1 file(s); fix them and run validate_content again" in result.stderr
    assert "nothing was loaded" not in result.stdout + result.stderr


def test_the_invalid_utf8_case_file_really_is_not_utf8():
    """Guards against an editor or a tool "repairing" the committed file."""
    raw = (FIXTURES / "bad" / "invalid-utf8" / "levels.yaml").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


# --- hostile Markdown is valid content, but must be stripped, never rendered ------------------

# Tags that must never reach a reader, whatever their attributes.
FORBIDDEN_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
    "input", "button", "textarea", "select", "svg", "math", "meta", "link", "base",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background"}
SAFE_SCHEMES = {"", "http", "https", "mailto"}


class _Tags(HTMLParser):
    """Every start tag of an HTML fragment with its (unescaped) attributes."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def dangers_in(html: str) -> list[str]:
    """What in `html` a browser would execute or embed; `[]` when it is safe to show."""
    found = []
    if "<script" in html.lower():
        found.append("a raw <script")
    for tag, attrs in _Tags(html).tags:
        if tag in FORBIDDEN_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and value is not None:
                scheme = urlsplit(value.strip()).scheme.lower()
                if scheme not in SAFE_SCHEMES:
                    found.append(f"<{tag} {name}={value!r}>")
    return found


def test_the_danger_check_itself_finds_what_it_must():
    hostile = (
        '<p><script>x</script><img src="x" onerror="y"><a href="java&#9;script:z">a</a>'
        '<a href=" JavaScript:z">b</a><iframe></iframe><a href="data:text/html,x">c</a></p>'
    )
    assert dangers_in(hostile) == [
        "a raw <script",
        "<script>",
        "<img onerror=...>",
        "<a href='java\\tscript:z'>",
        "<a href=' JavaScript:z'>",
        "<iframe>",
        "<a href='data:text/html,x'>",
    ]
    safe = '<p><a href="https://example.com/" rel="noopener">a</a><code>&lt;script&gt;</code></p>'
    assert dangers_in(safe) == []


def stored_html() -> dict[str, str]:
    rows = {}
    for model in (m.Article, m.Guide, m.CommonMistake):
        for slug, html in model.objects.values_list("slug", "body_html"):
            rows[f"{model.__name__} {slug}"] = html
    return rows


@pytest.mark.django_db
@pytest.mark.parametrize("case", SANITISE_CASES, ids=lambda case: case.name)
def test_hostile_markdown_is_stripped_and_the_rest_still_renders(case, tmp_path):
    root = build_tree(case, tmp_path)
    assert as_editor_sees(read_tree(root).errors, root) == []
    content_load(root=root, actor="tests")
    html = stored_html()
    for where, body in html.items():
        assert dangers_in(body) == [], f"{where}: {body}"
    everything = "\n".join(html.values())
    for fragment in _lines(case / "kept.txt"):
        assert fragment in everything, f"{fragment!r} should survive sanitising"
