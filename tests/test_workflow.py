"""The pull-request workflow (.github/workflows/content.yml), run as GitHub would run it.

The test builds what GitHub's checkout gives a job: a git repository holding the project, with
the base branch at `origin/main` and the pull request's change on top. Its `content/` is a fixture
tree, never the real one. Each `run:` step then runs in order, in GitHub's shell (`bash
--noprofile --norc -eo pipefail`), with the variables GitHub sets (GITHUB_ACTIONS, CI,
GITHUB_STEP_SUMMARY, GITHUB_BASE_REF, RUNNER_TEMP, ...) and the job's `env:`, stopping at the first
failing step as GitHub does.

Replaced or left out, and why:
- `uses:` steps (checkout, setup-python, setup-node) and the `Install …` steps: the checkout is
  built here and the project's existing .venv stands in for the installed dependencies.
- `Tests` (`make test`): the suite this test belongs to; running it from inside itself would
  recurse and take minutes. CI runs it for real (and .ci/run runs the same `make test`).
- The services: the job's DATABASE_URL and REDIS_URL name GitHub's PostgreSQL and Redis
  containers; here the database is a fresh SQLite file and the cache is local memory, so the
  test needs no server and leaves nothing behind. The steps never name the database engine.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from roadmap.content.fixer import content_fix

WORKFLOW = Path(settings.BASE_DIR) / ".github" / "workflows" / "content.yml"
FIXTURES = Path(__file__).parent / "content"
GIT = {
    "GIT_AUTHOR_NAME": "Editor",
    "GIT_AUTHOR_EMAIL": "editor@example.com",
    "GIT_COMMITTER_NAME": "Editor",
    "GIT_COMMITTER_EMAIL": "editor@example.com",
}


def workflow_steps() -> tuple[dict, list[dict]]:
    job = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["check"]
    return job, job["steps"]


def replaced_here(step: dict) -> bool:
    return "uses" in step or step["name"].startswith("Install") or step["name"] == "Tests"


def git(checkout: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=checkout, check=True, capture_output=True, env={**os.environ, **GIT}
    )


def make_checkout(tmp_path: Path) -> Path:
    """The project's tracked files, content/ replaced by a complete copy of the valid fixture,
    committed as `origin/main` (the base branch of the pull request)."""
    checkout = tmp_path / "checkout"
    tracked = (
        subprocess.run(
            ["git", "ls-files", "-z"], cwd=settings.BASE_DIR, capture_output=True, check=True
        )
        .stdout.decode()
        .split("\0")
    )
    for relative in filter(None, tracked):
        source = Path(settings.BASE_DIR) / relative
        if relative.startswith("content/") or not source.is_file():
            continue
        (checkout / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, checkout / relative)
    content = checkout / "content"
    shutil.copytree(FIXTURES / "valid", content)
    shutil.copytree(Path(settings.BASE_DIR) / "content" / "schema", content / "schema")
    # The fixture leaves two sections of one stage empty; the strict report wants them all.
    stage = content / "tracks" / "data" / "mid-level.yaml"
    stage.write_text(
        stage.read_text()
        + "courses: {start_here: [mdn-learn]}\nreading: {start_here: [mdn-http]}\n",
        encoding="utf-8",
    )
    (checkout / ".venv").symlink_to(Path(settings.BASE_DIR) / ".venv")
    git(checkout, "init", "--quiet", "--initial-branch=pr")
    git(checkout, "add", "--all")
    git(checkout, "commit", "--quiet", "--message", "base")
    git(checkout, "update-ref", "refs/remotes/origin/main", "HEAD")
    return checkout


def run_workflow(checkout: Path, tmp_path: Path) -> tuple[list[str], str, str]:
    """Run the steps; returns (names of the steps that ran, their output, the job summary)."""
    job, steps = workflow_steps()
    summary, runner_temp = tmp_path / "step_summary.md", tmp_path / "runner"
    summary.touch()
    runner_temp.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))},
        **job.get("env", {}),
        "GITHUB_ACTIONS": "true",
        "CI": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_BASE_REF": "main",
        "GITHUB_HEAD_REF": "pr",
        "GITHUB_WORKSPACE": str(checkout),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_ENV": str(tmp_path / "github_env"),
        "GITHUB_OUTPUT": str(tmp_path / "github_output"),
        "RUNNER_TEMP": str(runner_temp),
        "CONTENT_DIR": str(checkout / "content"),
        # GitHub's services, replaced (see the module docstring):
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ci.sqlite3'}",
        "REDIS_URL": "",
    }
    ran, output = [], []
    for step in steps:
        if replaced_here(step):
            continue
        ran.append(step["name"])
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=checkout,
            env={**env, **step.get("env", {})},
            capture_output=True,
            text=True,
        )
        output.append(f"== {step['name']}\n{result.stdout}{result.stderr}")
        if result.returncode != 0:
            ran[-1] += " (failed)"
            break
    return ran, "\n".join(output), summary.read_text(encoding="utf-8")


def test_the_workflow_declares_its_services_and_caches_like_ci_needs():
    job, steps = workflow_steps()
    assert set(job["services"]) == {"postgres", "redis"}
    assert job["env"]["DATABASE_URL"].startswith("postgres://")
    assert job["env"]["REDIS_URL"].startswith("redis://")
    python = next(step for step in steps if step.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["python-version-file"] == ".python-version"
    assert python["with"]["cache"] == "pip"
    assert python["with"]["cache-dependency-path"] == "requirements.lock"


@pytest.fixture(scope="module")
def valid_pull_request(tmp_path_factory) -> tuple[list[str], str, str]:
    """A pull request adding a course (and giving two tracks one order: a warning, not an
    error), run through the workflow once for the tests below."""
    tmp_path = tmp_path_factory.mktemp("valid")
    checkout = make_checkout(tmp_path)
    content = checkout / "content"
    courses = content / "courses.yaml"
    courses.write_text(
        courses.read_text()
        + "  - slug: sql-basics\n    title: SQL basics\n    provider: A school\n"
        "    summary: Queries from the first SELECT.\n    url: https://example.com/sql\n"
        "    cost: free\n    kind: course\n    effort: {min: 10, max: 20}\n",
        encoding="utf-8",
    )
    track = content / "tracks" / "data" / "track.yaml"
    track.write_text(track.read_text().replace("order: 2", "order: 1"), encoding="utf-8")
    content_fix(root=content)  # what the editor runs before committing: it writes the new id
    git(checkout, "commit", "--quiet", "--all", "--message", "a course")
    return run_workflow(checkout, tmp_path)


def test_a_valid_pull_request_passes_validation_and_its_warning_is_annotated(valid_pull_request):
    ran, output, summary = valid_pull_request
    assert ran[:2] == ["Database", "Validate content (every error as an annotation on its line)"]
    assert "::error" not in output
    assert (
        "::warning file=content/tracks/web/track.yaml,line=4,title=order::1 is also the order of "
        "tracks/data/track.yaml; give each track its own number"
    ) in output.splitlines()
    assert "## Content validation\n\n### Warnings (1)\n\n" in summary
    assert "`content/tracks/web/track.yaml:4` **order**: 1 is also the order" in summary


def test_a_valid_pull_request_passes_every_step_and_the_summary_names_the_change(
    valid_pull_request,
):
    ran, output, summary = valid_pull_request
    assert not any(name.endswith("(failed)") for name in ran), output
    assert ran == [
        "Database",
        "Validate content (every error as an annotation on its line)",
        "Load plan (what this change creates, updates and retires, by name)",
        "Completeness report",
        "US spelling",
        "JSON Schema up to date",
        "Lint",
    ]
    assert "SQL basics" in summary  # the plan names the new course


def test_a_bad_file_fails_the_job_with_annotations_on_its_lines(tmp_path):
    checkout = make_checkout(tmp_path)
    stage = checkout / "content" / "tracks" / "web" / "mid-level.yaml"
    text = stage.read_text().replace("    teaches: Retries", "    teachs: Retries")
    stage.write_text(text.replace("unit: years", "unit: decades"), encoding="utf-8")
    git(checkout, "commit", "--quiet", "--all", "--message", "two mistakes")
    ran, output, summary = run_workflow(checkout, tmp_path)
    assert ran == [
        "Database",
        "Validate content (every error as an annotation on its line) (failed)",
    ]
    annotations = [line for line in output.splitlines() if line.startswith("::")]
    assert annotations == [
        "::error file=content/tracks/web/mid-level.yaml,line=3,title=duration.unit::input should "
        "be 'weeks', 'months' or 'years'; write a duration as `duration: {min: 6, max: 12, unit: "
        "months}` (`max` is optional)",
        "::error file=content/tracks/web/mid-level.yaml,line=21,title=projects[1].teachs::unknown "
        "field; did you mean `teaches`? (allowed: id, title, teaches)",
    ]
    assert "### Errors (2)" in summary
    assert "`content/tracks/web/mid-level.yaml:21` **projects[1].teachs**" in summary
