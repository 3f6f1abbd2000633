"""The week plan as files: an iCalendar file with one all-day event per item, spread over the
week, and a Markdown checklist. All-day events need no time zone: each lands on the days the
plan gives it, wherever the calendar is."""

from datetime import datetime, timedelta

from icalendar import Calendar, Event

from .selectors import Plan
from .week import WeekItem
from .wording import date_text, hours_range_text, hours_text

PRODUCT_ID = "-//Roadmap//Week plan//EN"
MARKDOWN_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>#|"})


def week_calendar_build(*, plan: Plan, site: str, now: datetime) -> bytes:
    """`site` is the site's address (scheme and host), for links and event ids."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Roadmap: {plan.track.name}, week of {_start(plan)}")
    host = site.split("://", 1)[-1]
    for entry in plan.week.items:
        event = Event()
        event.add("uid", f"{plan.week.start:%Y%m%d}-{entry.item.content_id}@{host}")
        event.add("dtstamp", now)
        event.add("summary", entry.item.text)
        event.add("dtstart", plan.week.day(entry.first_day))
        event.add("dtend", plan.week.day(entry.last_day) + timedelta(days=1))
        event.add("description", "\n".join(_details(entry, site)))
        event.add("url", site + entry.item.get_absolute_url())
        calendar.add_component(event)
    return calendar.to_ical()


def week_markdown_build(*, plan: Plan, site: str) -> str:
    week = plan.week
    lines = [
        f"# My week on Roadmap: {plan.track.name}, {_start(plan)} to "
        f"{date_text(week.end, precise=True)}",
        "",
        f"About {hours_text(week.hours)} this week, at {plan.hours} hours a week.",
        "",
    ]
    for entry in week.items:
        text = entry.item.text.translate(MARKDOWN_SPECIAL)
        lines.append(f"- [ ] **{text}**")
        lines += [f"  - {line}" for line in _details(entry, site, markdown=True)]
    if not week.items:
        lines.append("Everything up to Senior is ticked: nothing left to plan.")
    return "\n".join(lines) + "\n"


def _details(entry: WeekItem, site: str, *, markdown: bool = False) -> list[str]:
    kind = entry.item.get_kind_display().lower() if entry.item.kind == "project" else "criterion"
    level = entry.work.stage.level.name
    plan_hours = hours_text(entry.hours)
    whole = hours_range_text(entry.estimate)
    lines = [
        f"{level} {kind}: about {plan_hours} this week"
        + (f", a start on it (the whole takes about {whole})" if entry.partial else "")
    ]
    if entry.resource:
        title, url = entry.resource.title, entry.resource.url
        url = url if url.startswith("http") else site + url
        if markdown:
            lines.append(f"Start with: [{title.translate(MARKDOWN_SPECIAL)}]({url})")
        else:
            lines.append(f"Start with: {title} ({url})")
    link = site + entry.item.get_absolute_url()
    lines.append(f"On its level page: <{link}>" if markdown else f"On its level page: {link}")
    return lines


def _start(plan: Plan) -> str:
    return date_text(plan.week.start, precise=True)
