"""Benchmark: validate and load the content at 1x, 10x and 100x its real size.

Run: .venv/bin/python bench/content_load.py
Prints validate and load times per size, a no-change reload, and the growth ratio 100x/10x.
Targets: the real content loads in under 1 s, a no-change reload takes under 0.3 s, and growth is
linear (100x/10x ratio <= 12). Uses a throw-away SQLite database unless DATABASE_URL is set.
"""

import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
WORK = Path(tempfile.mkdtemp(prefix="roadmap-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roadmap.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK / 'bench.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from roadmap.catalog.ids import new_id  # noqa: E402
from roadmap.content.loader import content_load  # noqa: E402
from roadmap.content.tree import read_tree  # noqa: E402

SOURCE = REPO / "content"
ID_LINE = re.compile(r"\bid: [a-z][a-z0-9]{7,31}\b")


def fresh_ids(text: str) -> str:
    return ID_LINE.sub(lambda _: f"id: {new_id()}", text)


def make_tree(copies: int) -> Path:
    """content/ plus copies-1 renamed duplicates of every track, guide, article and list entry."""
    root = WORK / f"content-x{copies}"
    shutil.copytree(SOURCE, root)
    for n in range(2, copies + 1):
        suffix = f"-c{n}"
        for track in sorted((SOURCE / "tracks").iterdir()):
            target = root / "tracks" / (track.name + suffix)
            target.mkdir()
            for stage in track.iterdir():
                (target / stage.name).write_text(fresh_ids(stage.read_text()))
        for folder in ("guides", "articles"):
            for page in (SOURCE / folder).glob("*.md"):
                (root / folder / f"{page.stem}{suffix}.md").write_text(fresh_ids(page.read_text()))
    # One list file may not pass the editors' 1 MB limit, so courses and reading grow 10x at most.
    for kind in ("courses", "reading"):
        path = root / f"{kind}.yaml"
        header, _, entries = path.read_text().partition(f"{kind}:\n")
        copies_text = [
            fresh_ids(re.sub(r"(\n    slug: )([a-z0-9-]+)", rf"\1\2-c{n}", "\n" + entries))[1:]
            for n in range(2, min(copies, 10) + 1)
        ]
        path.write_text(header + f"{kind}:\n" + entries + "".join(copies_text))
    return root


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def main() -> None:
    call_command("migrate", verbosity=0)
    rows = {}
    print(f"{'size':>5} {'files':>6} {'rows':>7} {'validate s':>11} {'load s':>8} {'reload s':>9}")
    for copies in (1, 10, 100):
        root = make_tree(copies)
        call_command("flush", interactive=False, verbosity=0)
        validate_s, tree = timed(read_tree, root)
        assert not tree.errors, tree.errors[:5]
        load_s, plan = timed(content_load, root=root, actor="bench")
        reload_s, again = timed(content_load, root=root, actor="bench")
        assert not again.changed
        count = sum(plan.created.values())
        rows[copies] = (validate_s, load_s, reload_s)
        print(
            f"{copies:>4}x {len(tree.documents):>6} {count:>7} {validate_s:>11.3f} {load_s:>8.3f}"
            f" {reload_s:>9.3f}"
        )
    ratio_load = rows[100][1] / rows[10][1]
    ratio_validate = rows[100][0] / rows[10][0]
    print(f"ratio 100x/10x: load {ratio_load:.1f}, validate {ratio_validate:.1f} (linear = 10)")
    verdicts = [
        ("real content loads in under 1 s", rows[1][1] < 1.0),
        ("no-change reload under 0.3 s", rows[1][2] < 0.3),
        ("growth linear (100x/10x <= 12)", ratio_load <= 12),
    ]
    for label, ok in verdicts:
        print(f"{'PASS' if ok else 'MISS'} {label}")
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
