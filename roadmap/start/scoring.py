"""Which track a set of /start/ answers points to, and which comes second: plain data in, plain
data out, so the page (selectors.py), the content rules (an unreachable track) and the test that
tries every combination of answers all decide the same way.

- each answer adds its `scores` to tracks; the most points wins, ties go to the track order;
- an answer that names the tracks that `serve` it (a goal only some tracks meet) limits the
  choice to those tracks, whatever the points say;
- the runner-up is the best of the other tracks that some answer gave points to.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol


class Answer(Protocol):
    scores: Mapping[str, int]
    serves: Sequence[str]


def track_points(tracks: Iterable[str], answers: Iterable[Answer]) -> dict[str, int]:
    answers = list(answers)
    return {slug: sum(int(a.scores.get(slug, 0)) for a in answers) for slug in tracks}


def track_pick(orders: Mapping[str, int], answers: Iterable[Answer]) -> tuple[str, str | None]:
    """(the recommended track, the runner-up or None) among `orders` ({slug: track order})."""
    answers = list(answers)
    points = track_points(orders, answers)
    allowed = set(orders)
    for answer in answers:
        if answer.serves and allowed & set(answer.serves):
            allowed &= set(answer.serves)

    def rank(slug: str) -> tuple[int, int]:
        return points[slug], -orders[slug]

    best = max(sorted(allowed), key=rank)
    others = [slug for slug in orders if slug != best and points[slug] > 0]
    return best, max(others, key=rank) if others else None
