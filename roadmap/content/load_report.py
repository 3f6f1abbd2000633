"""A load plan as people read it: lines for a terminal, Markdown for a pull request's summary.

Reviewers of a content pull request should see what will change *by name* (file, kind, id,
title; which fields; what retires and how many learners ticked it), not just counts.
"""

from .errors import ContentError
from .loader import LoadPlan

MAX_ROWS = 200  # a summary beyond this is unreadable; the counts above it still say everything


def plan_lines(plan: LoadPlan) -> list[str]:
    prefix = "Dry run, nothing written: " if plan.dry_run else ""
    lines = [prefix + plan.summary(), *plan.details()]
    if plan.dry_run:
        named, moved = _named(plan)
        lines += [f"  {change}" for change in named]
        if moved:
            lines.append(f"  {moved} more row(s) only move to another place in their list")
    return lines


def _named(plan: LoadPlan):
    """The changes worth naming, and how many rows only shifted position because an earlier
    entry of their list came or went (noise to a reviewer)."""
    named = [c for c in plan.changes if c.fields != ("order",)]
    return named, len(plan.changes) - len(named)


def plan_markdown(plan: LoadPlan) -> str:
    """The plan as GitHub-flavoured Markdown (for `$GITHUB_STEP_SUMMARY`)."""
    title = "Content load plan (dry run)" if plan.dry_run else "Content load"
    out = [f"### {title}", "", f"**{plan.summary()}**", ""]
    if plan.retired_ids.get("stage item"):
        out += [
            f"Learners affected: {plan.learners_affected} learner(s) ticked the items this "
            "retires; their ticks are kept but no longer shown.",
            "",
        ]
    named, moved = _named(plan)
    if not named:
        return "\n".join([*out, "Nothing changes.", ""])
    out += ["| Change | File | Kind | Id | Title |", "| --- | --- | --- | --- | --- |"]
    for change in named[:MAX_ROWS]:
        action = change.action + (f": {', '.join(change.fields)}" if change.fields else "")
        out.append(
            f"| {action} | `{change.file}` | {change.kind} | `{change.content_id}` "
            f"| {_cell(change.title)} |"
        )
    if len(named) > MAX_ROWS:
        out += ["", f"… and {len(named) - MAX_ROWS} more (see the counts above)."]
    if moved:
        out += ["", f"{moved} more row(s) only move to another place in their list."]
    return "\n".join([*out, ""])


def errors_markdown(errors: list[ContentError]) -> str:
    out = ["### Content load plan", "", f"**{len(errors)} error(s); the content would not load.**"]
    out += [
        "",
        *(
            f"- `{e.path}:{e.line}`{f' `{e.field}`' if e.field else ''}: {_cell(e.message)}"
            for e in errors
        ),
        "",
    ]
    return "\n".join(out)


def admin_edits_markdown(edits) -> str:
    out = ["### Content load plan", "", "**The load would stop on rows edited in admin:**", ""]
    return "\n".join([*out, *(f"- {_cell(str(edit))}" for edit in edits), ""])


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: one line, pipes escaped, not too long."""
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text if len(text) <= 100 else text[:99] + "…"
