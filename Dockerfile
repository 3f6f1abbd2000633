# syntax=docker/dockerfile:1
# One image for every instance. Build: `docker build -t roadmap .`
# Run: `docker run ... roadmap` serves (gunicorn); `docker run ... roadmap release` migrates and
# loads content/, once per deploy, before the new instances start. See compose.yaml.

FROM python:3.13-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN python -m venv /venv
COPY requirements.lock ./
RUN /venv/bin/pip install --require-hashes -r requirements.lock
COPY manage.py ./
COPY roadmap roadmap
COPY templates templates
COPY static static
# Hashed, gzip- and brotli-compressed static files. Settings need a key to load; it signs nothing.
RUN DJANGO_DEBUG=0 SECRET_KEY=build-time-only-not-used-at-run-time ALLOWED_HOSTS=build \
    STATIC_ROOT=/app/staticfiles /venv/bin/python manage.py collectstatic --noinput --verbosity 0

FROM python:3.13-slim
ENV PATH=/venv/bin:$PATH PYTHONUNBUFFERED=1 DJANGO_DEBUG=0 PORT=8000 STATIC_ROOT=/app/staticfiles
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=build /venv /venv
COPY --from=build /app/staticfiles staticfiles
COPY manage.py gunicorn.conf.py ./
COPY --chmod=0755 deploy/entrypoint.sh deploy/entrypoint.sh
COPY roadmap roadmap
COPY templates templates
COPY static static
COPY content content
# Bytecode now, as root: the app user cannot write into /app.
RUN python -m compileall -q roadmap
USER app
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['PORT'], timeout=2)"]
ENTRYPOINT ["deploy/entrypoint.sh"]
CMD ["web"]
