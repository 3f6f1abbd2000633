"""The filters of /courses/ and /reading/, read from the query string and never trusted.

A value the page does not offer (a stale bookmark, a typo in the address) is dropped with a
sentence saying so; the rest of the filters still apply, and the page never fails.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .models import Cost, Level, ResourceKind, Track

FILTER_NAMES = ("track", "level", "kind", "cost")
KIND_NOUNS = {  # (one, several) for the results heading
    "course": ("course", "courses"),
    "book": ("book", "books"),
    "article": ("article", "articles"),
    "docs": ("documentation site", "documentation sites"),
    "video": ("video course", "video courses"),
    "interactive": ("interactive course", "interactive courses"),
}


@dataclass(frozen=True)
class CatalogueFilters:
    track: Track | None = None
    level: Level | None = None
    kind: str = ""
    cost: str = ""
    problems: tuple[str, ...] = ()

    @property
    def values(self) -> dict[str, str]:
        """The valid choices as selector arguments (slugs and values; "" for any)."""
        return {
            "track": self.track.slug if self.track else "",
            "level": self.level.slug if self.level else "",
            "kind": self.kind,
            "cost": self.cost,
        }

    @property
    def any(self) -> bool:
        return any(self.values.values())

    def heading(self, count: int, *, noun: tuple[str, str]) -> str:
        """The results heading in words: "3 free books for Data Science / ML, Senior"."""
        singular, plural = KIND_NOUNS.get(self.kind, noun)
        words = [str(count), self.cost, singular if count == 1 else plural]
        where = ", ".join(item.name for item in (self.track, self.level) if item)
        return " ".join(word for word in words if word) + (f" for {where}" if where else "")


def catalogue_filters(
    params: Mapping[str, str], *, tracks: Iterable[Track], levels: Iterable[Level]
) -> CatalogueFilters:
    problems = []
    track = _pick(params, "track", {t.slug: t for t in tracks}, "track", problems)
    level = _pick(params, "level", {lvl.slug: lvl for lvl in levels}, "level", problems)
    kind = _pick(params, "kind", {value: value for value in ResourceKind.values}, "kind", problems)
    cost = _pick(params, "cost", {value: value for value in Cost.values}, "price", problems)
    return CatalogueFilters(
        track=track, level=level, kind=kind or "", cost=cost or "", problems=tuple(problems)
    )


def _pick(params, name: str, choices: dict, noun: str, problems: list[str]):
    value = params.get(name, "")
    if not value:
        return None
    if value in choices:
        return choices[value]
    shown = value if len(value) <= 40 else value[:40] + "…"
    problems.append(f"There is no {noun} “{shown}”, so that filter was left out.")
    return None
