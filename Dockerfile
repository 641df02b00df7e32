# Production image of the attribution tracker: gunicorn serving config.wsgi on port 8000, the
# static files collected at build time and served by WhiteNoise from STATIC_ROOT.
# All configuration comes from environment variables (see tracker/settings.py, the README and
# docker-compose.yml); a container needs at least SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# The unprivileged user the server runs as. It has a home directory because gunicorn puts its
# control socket in ~/.gunicorn.
RUN groupadd --system app \
    && useradd --system --gid app --create-home --home-dir /home/app --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, at the locked versions, in a layer of their own so that a code change does
# not reinstall them (with only pyproject.toml present the project itself installs empty; the setuptools build
# leftovers are removed).
COPY pyproject.toml requirements.lock ./
RUN pip install -c requirements.lock . && rm -rf build *.egg-info

# The project: the tracker* and articles* packages, manage.py, templates/ and seeds/.
COPY . .
RUN pip install --no-deps -c requirements.lock . && rm -rf build *.egg-info

# Hashed, compressed static files for WhiteNoise. The settings refuse to load without a SECRET_KEY
# when DEBUG is off, so this one step gets a throwaway key: it is not kept in the image, and every
# container must be given a SECRET_KEY of its own.
RUN SECRET_KEY=build-only DEBUG=0 python manage.py collectstatic --no-input

# DATA_DIR (written only without a DATABASE_URL, the SQLite fallback) belongs to the server's user.
RUN mkdir -p /app/data && chown app:app /app/data

USER app

# gunicorn's worker count: gunicorn reads WEB_CONCURRENCY itself (its default for --workers), so
# `docker run -e WEB_CONCURRENCY=4` or the compose file changes it without a new command line.
ENV WEB_CONCURRENCY=3

EXPOSE 8000

# /healthz answers 200 when the app and its database answer, 503 otherwise (urlopen raises on
# both that and a refused connection, so the check fails). There is no curl in the slim image.
# The Host header is the first ALLOWED_HOSTS entry so Django accepts the request whatever the
# deployment's host names are; X-Forwarded-Proto: https (trusted by gunicorn from 127.0.0.1)
# keeps SECURE_SSL_REDIRECT from answering the check with a redirect.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; host = (os.environ.get('ALLOWED_HOSTS') or 'localhost').split(',')[0].strip().lstrip('.'); host = 'localhost' if host in ('', '*') else host; urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/healthz', headers={'Host': host, 'X-Forwarded-Proto': 'https'}), timeout=4)"]

# Access log to stdout, error log to stderr; workers from WEB_CONCURRENCY (above).
# Threaded workers: a sync worker is killed after 30 s on one request, and a full export of
# millions of attributions streams for longer than that.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--worker-class", "gthread", "--threads", "4", "--access-logfile", "-", "--error-logfile", "-"]
