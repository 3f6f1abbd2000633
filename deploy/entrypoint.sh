#!/bin/sh
# The image's commands:
#   web      (the default) serve with gunicorn; settings from gunicorn.conf.py and the environment
#   release  once per deploy, before new web instances start: refuse an insecure configuration,
#            migrate, then load content/ (which stops, changing nothing, if admins edited rows
#            the files own; see README)
#   anything else runs as given, e.g. `python manage.py createsuperuser`
set -eu
case "${1:-web}" in
    web)
        exec gunicorn --config gunicorn.conf.py
        ;;
    release)
        python manage.py check --deploy --fail-level WARNING
        python manage.py migrate --noinput
        exec python manage.py load_content
        ;;
    *)
        exec "$@"
        ;;
esac
