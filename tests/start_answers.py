"""Every combination of /start/ answers and what a learner must be able to trust about each
recommendation; used on a fixture tree (tests/test_start_every_answer.py) and, the same generic
way, on the real questionnaire (tests/test_real_content.py).
"""

import itertools
from collections.abc import Iterator

from roadmap.catalog import selectors as catalog
from roadmap.catalog.models import AnswerOption
from roadmap.start import selectors


def every_combination() -> Iterator[dict[str, AnswerOption]]:
    """{question slug: answer} for every way to answer every question."""
    questions = selectors.step_get(params={}).questions
    for combination in itertools.product(*(q.visible_options for q in questions)):
        yield {q.slug: option for q, option in zip(questions, combination, strict=True)}


def broken_promises(answers: dict[str, AnswerOption], choice) -> list[str]:
    """What is wrong with `choice` for `answers`, in words; [] when nothing is."""
    problems = []
    chosen = {option.pk for option in answers.values()}
    track = choice.track.slug
    for reason in choice.reasons:
        if reason.answer.pk not in chosen:
            problems.append(f"reason from an answer not given: {reason.text!r}")
        if reason.track not in ("", track):
            problems.append(f"a reason for {reason.track} under {track}: {reason.text!r}")
        if not reason.track and reason.text != reason.answer.reason:
            problems.append(f"a reason tied to no answer's level: {reason.text!r}")
    shown = {reason.text for reason in choice.reasons}
    for option in answers.values():
        for other, text in option.reasons.items():
            if other != track and text in shown and text != option.reasons.get(track):
                problems.append(f"{other}'s reason shown for {track}: {text!r}")
        if option.serves:
            if track not in option.serves:
                problems.append(f"“{option.label}” is served by {option.serves}, got {track}")
            elif option.reasons[track] not in shown:
                problems.append(f"“{option.label}” is honored without saying why")
    decider = choice.decided_by
    if decider is not None and (decider.pk not in chosen or track not in decider.serves):
        problems.append(f"“{decider.label}” said to decide for {track}")
    runner = choice.runner_up
    if runner is not None:
        if runner.track.slug == track:
            problems.append("the runner-up is the recommendation")
        if not runner.reasons:
            problems.append(f"the runner-up {runner.track.slug} comes without a reason")
        for reason in runner.reasons:
            if reason.track != runner.track.slug or reason.answer.pk not in chosen:
                problems.append(f"runner-up {runner.track.slug} with {reason.text!r}")
    return problems


def every_recommendation_checked() -> tuple[int, dict[str, list[str]], int]:
    """(combinations tried, {answers: problems} for those with any, how many had a runner-up)."""
    tracks = catalog.track_list()
    tried, runners, failures = 0, 0, {}
    for answers in every_combination():
        choice = selectors.recommendation_among(tracks, answers=answers)
        tried += 1
        runners += choice.runner_up is not None
        if problems := broken_promises(answers, choice):
            failures[" ".join(f"{q}={o.slug}" for q, o in answers.items())] = problems
    return tried, failures, runners
