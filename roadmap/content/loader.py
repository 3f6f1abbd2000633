"""Apply a validated content tree to the database, all or nothing.

`content_load` validates the whole tree first, then syncs every model inside one transaction.
Rows are matched by their stable `content_id`: new ids are created, changed rows updated, ids gone
from the files retired (never deleted). Each row keeps the values the load wrote
(`loaded_values`); a row whose current values differ from them was edited in admin, and the load
refuses to overwrite it unless told to.
"""

import subprocess
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.db import transaction

from roadmap.catalog import models as m

from .change_log import content_changes_record
from .columns import BODY, DATA, LINK, OPTIONAL, PLACED
from .errors import ContentInvalid, display_path
from .export_map import STAGE_SECTIONS, expected_file
from .kinds import KINDS, ContentKind
from .load_lock import load_lock
from .markdown import render_markdown
from .signals import content_load_planned, content_loaded
from .tree import ContentTree, read_tree

SITE_ID = "site"  # site.yaml is one row with a fixed id
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


@dataclass(frozen=True)
class PlannedChange:
    """One row a load creates, updates or retires, named for a reviewer."""

    file: str
    kind: str  # the model's name, e.g. "course", "stage item"
    content_id: str
    title: str
    action: str  # "created", "updated" or "retired"
    fields: tuple[str, ...] = ()  # updated: the fields that change

    def __str__(self) -> str:
        fields = f" ({', '.join(self.fields)})" if self.fields else ""
        return f"{self.action}{fields}: {self.file} {self.kind} {self.content_id} {self.title!r}"


@dataclass
class LoadPlan:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    retired: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    admin_edits: list[AdminEdit] = field(default_factory=list)
    dry_run: bool = False
    retired_ids: dict[str, list[str]] = field(default_factory=dict)  # by model name
    changes: list[PlannedChange] = field(default_factory=list)
    learners_affected: int = 0  # learners with ticks on stage items about to retire (progress)

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
    *,
    root: Path,
    actor: str,
    dry_run: bool = False,
    discard_admin_edits: bool = False,
    on_busy: Callable[[], None] | None = None,
) -> LoadPlan:
    """Validate `root` and load it. Raises ContentInvalid, AdminEditsFound or LoadBusy, writing
    nothing. While another load runs: calls `on_busy` and waits for it, or raises LoadBusy."""
    tree = read_tree(root)
    if tree.errors:
        raise ContentInvalid(tree.errors)
    plan = LoadPlan(dry_run=dry_run)
    with transaction.atomic():
        load_lock(on_busy=on_busy)  # a second load waits here (or stops), never collides
        _Sync(tree, plan).run()
        if plan.admin_edits and not discard_admin_edits:
            raise AdminEditsFound(plan.admin_edits)  # rolls the transaction back
        content_load_planned.send(sender=content_load, plan=plan)
        if dry_run:
            transaction.set_rollback(True)
            return plan
        if plan.changed or plan.admin_edits:
            first = not m.ContentLoad.objects.exists()
            load = m.ContentLoad.objects.create(
                actor=actor,
                git_commit=git_commit(root),
                created=sum(plan.created.values()),
                updated=sum(plan.updated.values()),
                retired=sum(plan.retired.values()),
                unchanged=sum(plan.unchanged.values()),
                discarded_admin_edits=len(plan.admin_edits),
            )
            if not first:  # from nothing to everything is no one's news (change_log.py)
                content_changes_record(load=load, changes=plan.changes)
        # Once per load, inside its transaction: the search index, then the content version
        # (roadmap/search/signals.py), so both commit with the load or not at all.
        content_loaded.send(sender=content_load, plan=plan)
    return plan


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
        self.files: dict[str, str] = {}  # content id -> the file it comes from, for the plan
        self.pks: dict[str, dict[str, int]] = {}  # kind -> {slug: pk}: what later kinds name
        self.deleted: set[tuple[str, str]] = set(
            m.AdminDeletion.objects.values_list("model", "content_id")
        )

    def run(self) -> None:
        self._sync_all()
        # Each deletion either reached the files (the id is gone) or was just reported as an
        # admin edit (this load then stops, or recreates the row when told to discard edits).
        m.AdminDeletion.objects.all().delete()

    def _from(self, document, ids) -> None:
        """Remember that these content ids come from `document`'s file."""
        path = display_path(document.path)
        self.files.update(dict.fromkeys(ids, path))

    def _sync_all(self) -> None:
        # The list files and Markdown pages first, in registry order: their columns say where
        # each value is, and the kinds with a step of their own refer to them by slug.
        for kind in KINDS.values():
            if not kind.own_load_step:
                self.pks[kind.name] = self.sync_kind(kind)
        # Then the kinds with a step of their own, in the order their references need.
        self.sync_site()
        self.pks["track"] = self.sync_track()
        self.sync_starting_points()
        self.sync_stage()
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
                if (model._meta.label_lower, content_id) in self.deleted:
                    self.plan.admin_edits.append(AdminEdit(name, content_id, ("deleted in admin",)))
                row = model(content_id=content_id, loaded_values=wanted)
                self._assign(row, values)
                to_create.append(row)
                link_changes[content_id] = values
                self.plan.created[name] += 1
                self._plan(name, content_id, values, "created")
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
                fields = [k.removesuffix("_id") for k in wanted if now.get(k) != wanted[k]]
                self._plan(name, content_id, values, "updated", fields or ["restored"])
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
                self._plan_retired(name, row)
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

    def _plan(self, name: str, content_id: str, values: dict, action: str, fields=()) -> None:
        file = self.files.get(content_id, "")
        title = _title(values)
        self.plan.changes.append(
            PlannedChange(file, name, content_id, title, action, tuple(fields))
        )

    def _plan_retired(self, name: str, row) -> None:
        try:
            file = display_path(self.tree.root / expected_file(row))
        except (KeyError, AttributeError):
            file = ""
        self.plan.changes.append(PlannedChange(file, name, row.content_id, str(row), "retired"))

    def _assign(self, row, values: dict, changed: list[str] | None = None) -> None:
        for key, value in values.items():
            if key in row.FILE_FIELDS:
                setattr(row, key, value)
        if hasattr(row, "body_html") and (changed is None or "body" in changed):
            row.body_html = render_markdown(row.body)

    def _check_admin_edit(self, name: str, row, now: dict, wanted: dict) -> None:
        if not row.loaded_values or row.retired:
            return
        loaded = row.loaded_values  # a column it lacks was added by a migration since: no edit
        edited = tuple(
            key.removesuffix("_id")
            for key, value in now.items()
            if key in loaded and value != loaded[key] and value != wanted.get(key)
        )
        if edited:
            self.plan.admin_edits.append(AdminEdit(name, row.content_id, edited))

    def sync_kind(self, kind: ContentKind) -> dict[str, int]:
        """A list file's entries, or a folder of Markdown pages, read column by column as the
        registry declares them. Returns {slug: pk}."""
        model = apps.get_model(kind.model)
        if kind.markdown:
            documents = self.tree.markdown(kind.name)
            entries = [(slug, doc.model, doc) for slug, doc in documents.items()]
        else:
            document = self.tree.top.get(kind.name)
            entries = [(entry.slug, entry, document) for entry in self.tree.items(kind.name)]
        desired = {}
        for n, (slug, entry, document) in enumerate(entries):
            self._from(document, [entry.id])
            desired[entry.id] = {
                f.column: self._value(f, entry, slug=slug, order=n, document=document)
                for f in kind.columns
            }
        ids = self.sync(model, desired)
        return {slug: ids[entry.id] for slug, entry, _ in entries}

    def _value(self, f, entry, *, slug: str, order: int, document):
        """The value of column `f` for one entry: read at its key, or where the entry is."""
        if f.kind == PLACED:  # `slug` names the file; `order` is the place in the list
            return slug if f.column == "slug" else order
        if f.kind == BODY:
            return document.body
        value = entry
        for part in f.key:
            value = getattr(value, part, None)
        if f.kind == LINK:
            return self.pks[f.target].get(value) if value else None
        if f.kind == OPTIONAL:
            return value or ""
        if f.kind == DATA:
            return timeline_data(value)
        return value

    # --- specific ----------------------------------------------------------------------------

    def sync_site(self) -> None:
        site = self.tree.top["site"].model
        self._from(self.tree.top["site"], [SITE_ID])
        self.sync(
            m.SiteText,
            {SITE_ID: {key: getattr(site, key) or "" for key in m.SiteText.FILE_FIELDS}},
        )

    def sync_track(self) -> dict[str, int]:
        desired = {}
        for slug, doc in self.tree.tracks.items():
            t = doc.model
            self._from(doc, [t.id])
            desired[t.id] = {
                "slug": slug,
                "name": t.name,
                "order": t.order,
                "pitch": t.pitch,
                **_duration(t.stated),
                "timeline": timeline_data(t.timeline),
                "entry_level_id": self.pks["levels"][t.entry_level],
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
            self._from(self.tree.top["site"], [point.id])
            desired[point.id] = {
                "title": point.title,
                "who": point.who,
                "leads_to": point.leads_to,
                "track_id": self.pks["track"].get(point.track),
                "level_id": self.pks["levels"].get(point.level),
                "order": n,
            }
        self.sync(m.StartingPoint, desired)

    def sync_stage(self) -> None:
        stages, items = {}, {}
        for track_slug, by_level in self.tree.stages.items():
            for level_slug, doc in by_level.items():
                s = doc.model
                self._from(doc, [s.id])
                stages[s.id] = {
                    "track_id": self.pks["track"][track_slug],
                    "level_id": self.pks["levels"][level_slug],
                    "source_id": self.pks["sources"].get(s.source) if s.source else None,
                    "summary": s.summary,
                    **_duration(s.duration),
                    "courses": _labelled(s.courses),
                    "reading": _labelled(s.reading),
                    "courses_more_because": s.courses.more_because or "",
                    "reading_more_because": s.reading.more_because or "",
                }
        links = _StageLinks(self.pks["courses"], self.pks["reading"], self.pks["article"])
        stage_ids = self.sync(m.Stage, stages, links=links)
        for by_level in self.tree.stages.values():
            for doc in by_level.values():
                for key, kind in STAGE_SECTIONS.items():
                    for n, item in enumerate(getattr(doc.model, key)):
                        self._from(doc, [item.id])
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
        questionnaire = self.tree.top["questionnaire"]
        for n, question in enumerate(questionnaire.model.questions):
            self._from(questionnaire, [question.id, *(o.id for o in question.options)])
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
                    "reason": option.reason or "",
                    "level_id": self.pks["levels"].get(option.level) if option.level else None,
                    "scores": dict(option.scores),
                    "reasons": dict(option.reasons),
                    "serves": list(option.serves),
                    "order": n,
                }
        self.sync(m.AnswerOption, options)


def stage_links_now() -> dict[int, dict[str, list[str]]]:
    """{stage pk: {"courses": [slug, ...], "reading": [slug, ...]}} as the database holds them."""
    return _StageLinks({}, {}, {}).current()


class _StageLinks:
    """A stage's ordered course and reading lists, kept as link rows and compared as slug lists."""

    fields = LINK_FIELDS

    def __init__(self, courses: dict[str, int], reading: dict[str, int], articles: dict[str, int]):
        self.course_pk = courses
        self.reading_pk = reading
        self.article_pk = articles

    def current(self) -> dict[int, dict[str, list[str]]]:
        found: dict[int, dict[str, list[str]]] = {}
        links = m.StageCourse.objects.values_list("stage_id", "course__slug", "label")
        for stage_id, slug, label in links:
            entry = found.setdefault(stage_id, {"courses": [], "reading": []})
            entry["courses"].append([slug, label])
        rows = m.StageReading.objects.values_list(
            "stage_id", "reading__slug", "article__slug", "label"
        )
        for stage_id, reading_slug, article_slug, label in rows:
            entry = found.setdefault(stage_id, {"courses": [], "reading": []})
            entry["reading"].append([reading_slug or article_slug, label])
        return found

    def replace(self, by_stage: dict[int, dict]) -> None:
        m.StageCourse.objects.filter(stage_id__in=by_stage).delete()
        m.StageReading.objects.filter(stage_id__in=by_stage).delete()
        courses, reading = [], []
        for stage_id, values in by_stage.items():
            for n, (slug, label) in enumerate(values["courses"]):
                courses.append(
                    m.StageCourse(
                        stage_id=stage_id, course_id=self.course_pk[slug], order=n, label=label
                    )
                )
            for n, (slug, label) in enumerate(values["reading"]):
                reading.append(
                    m.StageReading(
                        stage_id=stage_id,
                        reading_id=self.reading_pk.get(slug),
                        article_id=None if slug in self.reading_pk else self.article_pk[slug],
                        order=n,
                        label=label,
                    )
                )
        m.StageCourse.objects.bulk_create(courses, batch_size=500)
        m.StageReading.objects.bulk_create(reading, batch_size=500)


def _title(values: dict) -> str:
    """What a reviewer calls the row: its title, name, text or slug."""
    for key in ("title", "name", "headline", "text", "label", "slug", "summary"):
        if values.get(key):
            return str(values[key])
    return ""


def _labelled(resources) -> list[list[str]]:
    """A stage's resources as [slug, label] pairs in page order ("" for an unlabelled draft)."""
    return [[slug, label] for _place, slug, label in resources.refs()]


def timeline_data(timeline) -> dict:
    """A track's `timeline:` as the JSON the Track row stores: the mapping the file means, with
    numbers as numbers (Decimal is not JSON) and missing optional keys left out."""
    return _json_numbers(timeline.model_dump(by_alias=True, exclude_none=True))


def _json_numbers(value):
    """Decimal('4') as 4 and Decimal('2.5') as 2.5, as an editor types them, all the way down."""
    if isinstance(value, dict):
        return {key: _json_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_numbers(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _duration(duration) -> dict:
    return {
        "duration_min": duration.min,
        "duration_max": duration.max,
        "duration_unit": duration.unit,
    }
