"""Markdown to safe HTML, once, at load time.

The allow-list is nh3's (ammonia's) default set of tags and attributes; on top of it we allow only
http, https and mailto links and mark every link `rel="noopener noreferrer"`. Raw HTML in the
source, `<script>`, event handlers such as `onerror=` and `javascript:` URLs are stripped, never
rendered.
"""

import markdown
import nh3

_EXTENSIONS = ["tables", "fenced_code", "sane_lists", "toc"]
# Headings keep the ids the toc extension gives them, so a guide's table of contents can link.
_ATTRIBUTES = {**nh3.ALLOWED_ATTRIBUTES, "h2": {"id"}, "h3": {"id"}}


def render_markdown(source: str) -> str:
    html = markdown.markdown(source, extensions=_EXTENSIONS, output_format="html")
    return nh3.clean(
        html,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
