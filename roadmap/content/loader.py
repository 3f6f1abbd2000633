"""Apply a validated content tree to the database, all or nothing.

`content_load` validates the whole tree first, then syncs every model inside one transaction.
Rows are matched by their stable `content_id`: new ids are created, changed rows updated, ids gone
from the files retired (never deleted). Each row keeps the values the load wrote
(`loaded_values`); a row whose current values differ from them was edited in admin, and the load
refuses to overwrite it unless told to.
"""

import subprocess
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import connection, transaction

from roadmap.catalog import models as m
from roadmap.ops.content_version import content_version_announce, content_version_bump
from roadmap.progress.selectors import tick_learner_count
from roadmap.search.index import search_index_rebuild, search_index_stale

from .errors import ContentInvalid
from .markdown import render_markdown
from .tree import ContentTree, read_tree

SITE_ID = "site"  # site.yaml is one row with a fixed id
STAGE_SECTIONS = {  # file key -> StageItem kind
    "skills": m.ItemKind.SKILL,
    "ready_when": m.ItemKind.READY_WHEN,
    "projects": m.ItemKind.PROJECT,
    "mistakes": m.ItemKind.MISTAKE,
    "expectations": m.ItemKind.EXPECTATION,
}
LINK_FIELDS = ("courses", "reading")  # stage fields stored as link rows, not columns
LOAD_LOCK_ID = 7_460_118  # any constant: the advisory lock that lets one load run at a time


@dataclass(frozen=True)
class AdminEdit:
    model: str
    content_id: str
    fields: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.model} {self.content_id}: {', '.join(self.fields)}"


class AdminEditsFound(Exception):
    def __init__(self, edits: list[AdminEdit]):
        super().__init__(f"{len(edits)} row(s) were edited in admin since the last load")
        self.edits = edits


@dataclass
class LoadPlan:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    retired: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    admin_edits: list[AdminEdit] = field(default_factory=list)
    dry_run: bool = False
    retired_ids: dict[str, list[str]] = field(default_factory=dict)  # by model name
    learners_affected: int = 0  # dry run: learners with ticks on stage items about to retire

    @property
    def changed(self) -> bool:
        return (
            any(self.created.values()) or any(self.updated.values()) or any(self.retired.values())
        )

    def summary(self) -> str:
        totals = (
            sum(c.values()) for c in (self.created, self.updated, self.retired, self.unchanged)
        )
        return "{} created, {} updated, {} retired, {} unchanged".format(*totals)

    def details(self) -> list[str]:
        """One line per model that changes, for --dry-run and reviewers."""
        names = sorted(set(self.created) | set(self.updated) | set(self.retired))
        return [
            f"  {name}: {self.created[name]} created, {self.updated[name]} updated, "
            f"{self.retired[name]} retired"
            for name in names
            if self.created[name] or self.updated[name] or self.retired[name]
        ] + (
            [f"  {self.learners_affected} learner(s) ticked items about to be retired (kept)"]
            if self.learners_affected
            else []
        )


def content_load(
    *, root: Path, actor: str, dry_run: bool = False, discard_admin_edits: bool = False
) -> LoadPlan:
    """Validate `root` and load it. Raises ContentInvalid or AdminEditsFound, writing nothing."""
    tree = read_tree(root)
    if tree.errors:
        raise ContentInvalid(tree.errors)
    plan = LoadPlan(dry_run=dry_run)
    with transaction.atomic():
        _one_load_at_a_time()
        _Sync(tree, plan).run()
        if plan.admin_edits and not discard_admin_edits:
            raise AdminEditsFound(plan.admin_edits)  # rolls the transaction back
        if dry_run:
            retiring = plan.retired_ids.get("stage item", [])
            plan.learners_affected = tick_learner_count(item_ids=retiring)
            transaction.set_rollback(True)
        elif plan.changed or plan.admin_edits:
            m.ContentLoad.objects.create(
                actor=actor,
                git_commit=git_commit(root),
                created=sum(plan.created.values()),
                updated=sum(plan.updated.values()),
                retired=sum(plan.retired.values()),
                unchanged=sum(plan.unchanged.values()),
                discarded_admin_edits=len(plan.admin_edits),
            )
        if not dry_run:
            _index_then_version(changed=plan.changed or bool(plan.admin_edits))
    return plan


def _one_load_at_a_time() -> None:
    """Make a second, concurrent load wait for this one's commit, then compare the files with
    what this one wrote (so it finds nothing to do), rather than both inserting the same rows.
    PostgreSQL only: SQLite lets one writer in at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOAD_LOCK_ID])


def _index_then_version(*, changed: bool) -> None:
    """Inside the load's transaction: rebuild the search index, then bump the content version.

    The order matters. The version makes the new pages visible (and retires cached searches), so
    the index must already hold the new content when it changes; and both commit with the load,
    so a load killed at any point leaves neither half done. A load that changes nothing still
    rebuilds an index that is empty or older than the last content change (a load killed between
    its commit and an index rebuild, before this order existed), then bumps the version so no
    search cached from the stale index survives.
    """
    if changed or search_index_stale():
        search_index_rebuild()
        content_version_bump()  # every instance drops its cached pages on commit
    else:
        content_version_announce()  # in case the last load died before announcing its version


def git_commit(root: Path) -> str:
    """The last commit that touched the content directory, or "" outside a git checkout."""
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%H", "--", "."],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def canonical(value: object) -> object:
    """A JSON-safe form for comparing values: 4, 4.0 and Decimal('4.0') are all "4"."""
    if isinstance(value, Decimal | float):
        return format(Decimal(str(value)).normalize(), "f")
    if isinstance(value, list | tuple):
        return [canonical(item) for item in value]
    return value


class _Sync:
    """Syncs the models in dependency order; each step returns {content_id: pk} for the next."""

    def __init__(self, tree: ContentTree, plan: LoadPlan):
        self.tree = tree
        self.plan = plan

    def run(self) -> None:
        tree = self.tree
        self.levels = self.sync_list(
            m.Level, "levels", lambda e: {"name": e.name, "meaning": e.meaning}
        )
        self.sources = self.sync_list(m.Source, "sources", lambda e: {"name": e.name, "url": e.url})
        self.courses = self.sync_list(
            m.Course, "courses", _fields("title provider summary url cost")
        )
        self.reading = self.sync_list(
            m.Reading, "reading", _fields("title author summary url cost")
        )
        self.sync_list(m.CommonMistake, "mistakes", lambda e: {"title": e.title, "body": e.body})
        self.articles = self.sync_markdown(m.Article, tree.articles)
        self.sync_markdown(m.Guide, tree.guides)
        self.sync_site()
        self.tracks = self.sync_tracks()
        self.sync_starting_points()
        self.sync_stages()
        self.sync_questionnaire()

    # --- generic ---------------------------------------------------------------------------

    def sync(self, model, desired: dict[str, dict], links=None) -> dict[str, int]:
        """Create, update and retire `model` rows so the live ones are exactly `desired`."""
        name = model._meta.verbose_name
        existing = {row.content_id: row for row in model.objects.all()}
        current_links = links.current() if links else {}
        to_create, to_update, to_retire, link_changes = [], [], [], {}
        for content_id, values in desired.items():
            wanted = {key: canonical(value) for key, value in values.items()}
            row = existing.get(content_id)
            if row is None:
                row = model(content_id=content_id, loaded_values=wanted)
                self._assign(row, values)
                to_create.append(row)
                link_changes[content_id] = values
                self.plan.created[name] += 1
                continue
            now = {f: canonical(getattr(row, f)) for f in model.FILE_FIELDS}
            now.update(
                current_links.get(row.pk, {key: [] for key in (links.fields if links else ())})
            )
            self._check_admin_edit(name, row, now, wanted)
            if now == wanted and not row.retired and row.loaded_values == wanted:
                self.plan.unchanged[name] += 1
                continue
            if now != wanted or row.retired:
                self.plan.updated[name] += 1
            else:  # the files caught up with an admin edit (export_content): just record it
                self.plan.unchanged[name] += 1
            self._assign(row, values, changed=[f for f in model.FILE_FIELDS if now[f] != wanted[f]])
            row.retired, row.loaded_values = False, wanted
            to_update.append(row)
            if links and any(now[key] != wanted[key] for key in links.fields):
                link_changes[content_id] = values
        for content_id, row in existing.items():
            if content_id not in desired and not row.retired:
                if not row.loaded_values:
                    self.plan.admin_edits.append(AdminEdit(name, content_id, ("created in admin",)))
                row.retired = True
                to_retire.append(row)
                self.plan.retired[name] += 1
                self.plan.retired_ids.setdefault(name, []).append(content_id)
        fields = [*model.FILE_FIELDS, "retired", "loaded_values"]
        if hasattr(model, "body_html"):
            fields.append("body_html")
        # Retirements, then updates, then creations: a row that takes over a slug (or a track and
        # level) never meets a unique constraint still held by the row it replaces.
        model.objects.bulk_update(to_retire, ["retired"], batch_size=500)
        model.objects.bulk_update(to_update, fields, batch_size=500)
        model.objects.bulk_create(to_create, batch_size=500)
        ids = {row.content_id: row.pk for row in existing.values()}
        ids.update({row.content_id: row.pk for row in to_create})
        if links and link_changes:
            links.replace({ids[cid]: values for cid, values in link_changes.items()})
        return {cid: ids[cid] for cid in desired}

    def _assign(self, row, values: dict, changed: list[str] | None = None) -> None:
        for key, value in values.items():
            if key in row.FILE_FIELDS:
                setattr(row, key, value)
        if hasattr(row, "body_html") and (changed is None or "body" in changed):
            row.body_html = render_markdown(row.body)

    def _check_admin_edit(self, name: str, row, now: dict, wanted: dict) -> None:
        if not row.loaded_values or row.retired:
            return
        edited = tuple(
            key.removesuffix("_id")
            for key, value in now.items()
            if value != row.loaded_values.get(key) and value != wanted.get(key)
        )
        if edited:
            self.plan.admin_edits.append(AdminEdit(name, row.content_id, edited))

    def sync_list(self, model, kind: str, values_of) -> dict[str, int]:
        entries = self.tree.items(kind)
        desired = {
            e.id: {
                "slug": e.slug,
                **values_of(e),
                **({"order": n} if "order" in model.FILE_FIELDS else {}),
            }
            for n, e in enumerate(entries)
        }
        ids = self.sync(model, desired)
        return {e.slug: ids[e.id] for e in entries}

    def sync_markdown(self, model, documents: dict) -> dict[str, int]:
        desired = {}
        for slug, doc in documents.items():
            front = doc.model
            values = {
                "slug": slug,
                "title": front.title,
                "summary": front.summary,
                "body": doc.body,
            }
            if "order" in model.FILE_FIELDS:
                values["order"] = front.order
            desired[front.id] = values
        ids = self.sync(model, desired)
        return {slug: ids[doc.model.id] for slug, doc in documents.items()}

    # --- specific ----------------------------------------------------------------------------

    def sync_site(self) -> None:
        site = self.tree.top["site"].model
        self.sync(
            m.SiteText, {SITE_ID: {key: getattr(site, key) for key in m.SiteText.FILE_FIELDS}}
        )

    def sync_tracks(self) -> dict[str, int]:
        desired = {}
        for slug, doc in self.tree.tracks.items():
            t = doc.model
            desired[t.id] = {
                "slug": slug,
                "name": t.name,
                "order": t.order,
                "pitch": t.pitch,
                **_duration(t.duration),
                "duration_note": t.duration_note,
                "entry_level_id": self.levels[t.entry_level],
                "entry_note": t.entry_note or "",
                "builds_on": t.builds_on or "",
            }
        old_slugs = list(m.Track.objects.values_list("pk", "content_id", "slug"))
        ids = self.sync(m.Track, desired)
        for track_id, content_id, slug in old_slugs:
            new_slug = desired.get(content_id, {}).get("slug")
            if new_slug and new_slug != slug:
                m.TrackRedirect.objects.update_or_create(
                    old_slug=slug, defaults={"track_id": track_id}
                )
        m.TrackRedirect.objects.filter(old_slug__in=list(self.tree.tracks)).delete()
        return {slug: ids[doc.model.id] for slug, doc in self.tree.tracks.items()}

    def sync_starting_points(self) -> None:
        desired = {}
        for n, point in enumerate(self.tree.top["site"].model.starting_points):
            desired[point.id] = {
                "title": point.title,
                "who": point.who,
                "leads_to": point.leads_to,
                "track_id": self.tracks.get(point.track),
                "level_id": self.levels.get(point.level),
                "order": n,
            }
        self.sync(m.StartingPoint, desired)

    def sync_stages(self) -> None:
        stages, items = {}, {}
        for track_slug, by_level in self.tree.stages.items():
            for level_slug, doc in by_level.items():
                s = doc.model
                stages[s.id] = {
                    "track_id": self.tracks[track_slug],
                    "level_id": self.levels[level_slug],
                    "source_id": self.sources.get(s.source) if s.source else None,
                    "summary": s.summary,
                    **_duration(s.duration),
                    "courses": list(s.courses),
                    "reading": list(s.reading),
                }
        links = _StageLinks(self.courses, self.reading, self.articles)
        stage_ids = self.sync(m.Stage, stages, links=links)
        for by_level in self.tree.stages.values():
            for doc in by_level.values():
                for key, kind in STAGE_SECTIONS.items():
                    for n, item in enumerate(getattr(doc.model, key)):
                        items[item.id] = {
                            "stage_id": stage_ids[doc.model.id],
                            "kind": str(kind),
                            "order": n,
                            "text": getattr(item, "text", None) or item.title,
                            "teaches": getattr(item, "teaches", ""),
                        }
        self.sync(m.StageItem, items)

    def sync_questionnaire(self) -> None:
        questions, options = {}, {}
        for n, question in enumerate(self.tree.top["questionnaire"].model.questions):
            questions[question.id] = {
                "slug": question.slug,
                "text": question.text,
                "help": question.help or "",
                "order": n,
            }
        question_ids = self.sync(m.Question, questions)
        for question in self.tree.top["questionnaire"].model.questions:
            for n, option in enumerate(question.options):
                options[option.id] = {
                    "question_id": question_ids[question.id],
                    "slug": option.slug,
                    "label": option.label,
                    "reason": option.reason,
                    "level_id": self.levels.get(option.level) if option.level else None,
                    "scores": dict(option.scores),
                    "order": n,
                }
        self.sync(m.AnswerOption, options)


class _StageLinks:
    """A stage's ordered course and reading lists, kept as link rows and compared as slug lists."""

    fields = LINK_FIELDS

    def __init__(self, courses: dict[str, int], reading: dict[str, int], articles: dict[str, int]):
        self.course_pk = courses
        self.reading_pk = reading
        self.article_pk = articles

    def current(self) -> dict[int, dict[str, list[str]]]:
        found: dict[int, dict[str, list[str]]] = {}
        for stage_id, slug in m.StageCourse.objects.values_list("stage_id", "course__slug"):
            found.setdefault(stage_id, {"courses": [], "reading": []})["courses"].append(slug)
        rows = m.StageReading.objects.values_list("stage_id", "reading__slug", "article__slug")
        for stage_id, reading_slug, article_slug in rows:
            entry = found.setdefault(stage_id, {"courses": [], "reading": []})
            entry["reading"].append(reading_slug or article_slug)
        return found

    def replace(self, by_stage: dict[int, dict]) -> None:
        m.StageCourse.objects.filter(stage_id__in=by_stage).delete()
        m.StageReading.objects.filter(stage_id__in=by_stage).delete()
        courses, reading = [], []
        for stage_id, values in by_stage.items():
            for n, slug in enumerate(values["courses"]):
                courses.append(
                    m.StageCourse(stage_id=stage_id, course_id=self.course_pk[slug], order=n)
                )
            for n, slug in enumerate(values["reading"]):
                reading.append(
                    m.StageReading(
                        stage_id=stage_id,
                        reading_id=self.reading_pk.get(slug),
                        article_id=None if slug in self.reading_pk else self.article_pk[slug],
                        order=n,
                    )
                )
        m.StageCourse.objects.bulk_create(courses, batch_size=500)
        m.StageReading.objects.bulk_create(reading, batch_size=500)


def _fields(names: str):
    keys = names.split()
    return lambda entry: {key: getattr(entry, key) for key in keys}


def _duration(duration) -> dict:
    return {
        "duration_min": duration.min,
        "duration_max": duration.max,
        "duration_unit": duration.unit,
    }
