"""Every external URL in the content, and a bounded check that each still answers.

The check must never hang: it first probes whether the network is reachable at all, and every
request has a timeout, so on a machine without internet it says so and stops within seconds.
"""

import re
import socket
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from .kinds import KINDS
from .tree import ContentTree

_MARKDOWN_LINK = re.compile(r"\]\((https?://[^)\s]+)\)")
USER_AGENT = "RoadmapLinkChecker/1.0 (+https://github.com/roadmap-dev/roadmap)"


@dataclass(frozen=True)
class LinkResult:
    url: str
    ok: bool
    detail: str


def content_urls(tree: ContentTree) -> dict[str, str]:
    """{url: where it appears} for every external link in the tree."""
    urls: dict[str, str] = {}
    for kind in KINDS.values():
        for field in kind.urls:
            for entry in tree.items(kind.name):
                urls.setdefault(getattr(entry, field), f"{kind.pattern}: {entry.slug}")
        if kind.markdown:
            for slug, document in tree.markdown(kind.name).items():
                for url in _MARKDOWN_LINK.findall(document.body):
                    urls.setdefault(url, f"{kind.folder}/{slug}.md")
    return urls


def network_available(url: str, timeout: float = 3.0) -> tuple[bool, str]:
    """Whether the host of `url` can be reached at all (DNS and a TCP connection)."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            return True, ""
    except OSError as exc:
        return False, f"{parts.hostname}: {exc}"


def check_url(url: str, timeout: float = 10.0) -> LinkResult:
    request = urllib.request.Request(url, method="GET", headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return LinkResult(url, response.status < 400, f"HTTP {response.status}")
    except urllib.error.HTTPError as exc:
        # Some sites refuse robots (403/429) while serving people; report, but do not fail them.
        return LinkResult(url, exc.code in {401, 403, 429}, f"HTTP {exc.code}")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return LinkResult(url, False, str(getattr(exc, "reason", exc)))


def check_urls(urls: list[str], workers: int = 8) -> list[LinkResult]:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(check_url, urls))
