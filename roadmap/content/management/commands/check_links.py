from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from roadmap.content.links import check_urls, content_urls, network_available
from roadmap.content.tree import read_tree


class Command(BaseCommand):
    help = "Fetch every external URL in the content and report the ones that fail."

    def handle(self, *args, **options):
        tree = read_tree(settings.CONTENT_DIR)
        if tree.errors:
            raise CommandError("content has errors; run `python manage.py validate_content`")
        urls = content_urls(tree)
        reachable, reason = network_available(next(iter(urls)))
        if not reachable:
            self.stdout.write(
                f"No network here ({reason}); {len(urls)} links were not checked. "
                "Run this where the internet is reachable."
            )
            return
        results = check_urls(list(urls))
        broken = [r for r in results if not r.ok]
        for result in broken:
            self.stdout.write(f"BROKEN {result.url} ({result.detail}) in {urls[result.url]}")
        self.stdout.write(f"{len(results)} links checked, {len(broken)} broken")
        if broken:
            raise CommandError(f"{len(broken)} broken link(s)")
