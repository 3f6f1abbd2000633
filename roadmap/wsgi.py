import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roadmap.settings")
django_application = get_wsgi_application()

from roadmap.ops.wsgi import with_page_cache  # noqa: E402 - needs Django set up

# gunicorn (gunicorn.conf.py) and runserver (WSGI_APPLICATION) run this same application.
application = with_page_cache(django_application)
