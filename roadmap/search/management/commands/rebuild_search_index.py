from django.core.management.base import BaseCommand

from roadmap.search.index import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from the visible catalogue (load_content does this itself)."

    def handle(self, *args, **options):
        count = search_index_rebuild()
        self.stdout.write(f"Indexed {count} entries.")
