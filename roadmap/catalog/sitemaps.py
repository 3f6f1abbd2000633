"""sitemap.xml: every public page a search engine should know, built from what is visible.

Each section returns a list, not a queryset, so the paginator counts it without another query.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import selectors
from .models import Article, Guide, Stage, Track


class PageSitemap(Sitemap):
    """The fixed pages."""

    def items(self) -> list[str]:
        return ["home", "timelines", "courses", "reading", "guides"]

    def location(self, item: str) -> str:
        return reverse(item)


class TrackSitemap(Sitemap):
    def items(self) -> list[Track]:
        return list(selectors.track_names())

    def location(self, item: Track) -> str:
        return reverse("track", args=[item.slug])


class LevelSitemap(Sitemap):
    def items(self) -> list[Stage]:
        return [stage for track in selectors.track_list() for stage in track.visible_stages]

    def location(self, item: Stage) -> str:
        return reverse("level", args=[item.track.slug, item.level.slug])


class GuideSitemap(Sitemap):
    def items(self) -> list[Guide]:
        return list(selectors.guide_list().only("slug"))

    def location(self, item: Guide) -> str:
        return reverse("guide", args=[item.slug])


class ArticleSitemap(Sitemap):
    def items(self) -> list[Article]:
        return list(selectors.article_list().only("slug"))

    def location(self, item: Article) -> str:
        return reverse("article", args=[item.slug])


SITEMAPS = {
    "pages": PageSitemap,
    "tracks": TrackSitemap,
    "levels": LevelSitemap,
    "guides": GuideSitemap,
    "articles": ArticleSitemap,
}
