"""Settings for the tracker, read from the environment (every variable is listed in the README)."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

# Every environment variable the settings read, so the README and docker-compose.yml can be
# checked against it (tests/test_deployment.py).
ENV_VARS: dict[str, str] = {"ENV_FILE": ".env"}


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines (blank lines, `# comments` and a leading `export ` allowed; a value may be
    quoted): the development settings `make setup` writes. A missing file is no settings."""
    if not path.is_file():
        return {}
    values = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, equals, value = line.removeprefix("export ").partition("=")
        name, value = name.strip(), value.strip()
        if not equals or not name.isidentifier():
            raise ImproperlyConfigured(f"{path}, line {number}: expected KEY=VALUE, not {line!r}.")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name] = value
    return values


# The development settings file (git-ignored); the environment wins over it.
ENV_FILE_VALUES = read_env_file(Path(os.environ.get("ENV_FILE", BASE_DIR / ".env")))


def env(name: str, default: str = "") -> str:
    ENV_VARS[name] = default
    return os.environ.get(name, ENV_FILE_VALUES.get(name, default))


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false, yes/no).")


def env_int(name: str, default: int) -> int:
    value = env(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def env_positive(name: str, default: int) -> int:
    value = env_int(name, default)
    if value < 1:
        raise ImproperlyConfigured(f"{name}={value} must be at least 1.")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
DATA_DIR = Path(env("DATA_DIR", str(BASE_DIR / "data")))


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. A production start (DEBUG off) needs a SECRET_KEY of its own: "
            "set the SECRET_KEY environment variable to a long random string, or set DEBUG=1 "
            "for a development run."
        )
    # Development: a key generated once and kept in the data folder, so sessions survive restarts.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "simple_history",
    "rest_framework",
    # API tokens stored as hashes, with an expiry (tracker/api/auth.py).
    "knox",
    # Sign-in attempts counted and locked out (AXES_* below).
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "articles",
    "tracker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "tracker.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every editorial write records who made it (admin and API alike).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite by default, in the git-ignored data folder; PostgreSQL (production) via DATABASE_URL.
DATABASE_URL = env("DATABASE_URL")
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 60)  # seconds a PostgreSQL connection is reused
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=CONN_MAX_AGE,
            conn_health_checks=True,
        )
    }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "tracker.sqlite3"),
        }
    }

# Every SQLite database, however it is named (DATABASE_URL=sqlite:///... included): readers do
# not block the writer (WAL), and writers queue for the lock (an immediate transaction and a busy
# timeout) instead of failing half-way through with "database is locked".
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA busy_timeout=20000;"
    ),
}
# PostgreSQL: pages run many short queries, where compiling a query plan to machine code (JIT)
# costs more than it saves (up to 0.2 s on a search that matches thousands of claims).
POSTGRES_OPTIONS = {"options": "-c jit=off"}
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.sqlite3":
        _database["OPTIONS"] = {**SQLITE_OPTIONS, **_database.get("OPTIONS", {})}
    elif _database["ENGINE"] == "django.db.backends.postgresql":
        _database["OPTIONS"] = {**POSTGRES_OPTIONS, **_database.get("OPTIONS", {})}

# The cache of kept pages (tracker/caching.py). Redis, shared by every app server, when REDIS_URL
# is set (docker-compose.yml); otherwise each process keeps its own in memory (`make run`).
REDIS_URL = env("REDIS_URL")
CACHES: dict[str, dict[str, object]]
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Room for the models' generations beside the kept pages (the default is 300).
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production (after collectstatic); plain ones in development.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

LOGIN_URL = "admin:login"

# Sign-in limits (django-axes). Every password sign-in goes through AxesStandaloneBackend first:
# after LOGIN_FAILURE_LIMIT failures from one client address (counted per address, and per
# account and address together) further attempts are refused, the right password included,
# for LOGIN_COOLOFF_MINUTES. The same limits hold for guessed API tokens (tracker/api/auth.py).
# Attempts are kept in the database, shared by every worker; `manage.py axes_reset` (or
# axes_reset_ip / axes_reset_username) lifts a lockout early.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]


LOGIN_FAILURE_LIMIT = env_positive("LOGIN_FAILURE_LIMIT", 5)
LOGIN_COOLOFF_MINUTES = env_positive("LOGIN_COOLOFF_MINUTES", 15)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["ip_address", ["username", "ip_address"]]
# A success does not wipe the address's failures: one known account would otherwise let a
# guesser start again after every few tries.
AXES_RESET_ON_SUCCESS = False
# Attempts while locked out are refused without being recorded: a guesser hammering a locked
# address costs no database write (django-axes would otherwise append each one to a row that
# grows without end), and the lock ends LOGIN_COOLOFF_MINUTES after the failure that set it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# The client address (direct, or the one the TLS proxy appended to X-Forwarded-For), the same
# one the authentication log and the API's token limit use.
AXES_CLIENT_IP_CALLABLE = "tracker.auth_events.client_address"

# API tokens (django-rest-knox): only a hash is stored, each expires API_TOKEN_DAYS after it is
# made (`manage.py create_api_token`), and is sent as `Authorization: Token <key>`.
API_TOKEN_DAYS = env_positive("API_TOKEN_DAYS", 90)
if API_TOKEN_DAYS > 3650:
    raise ImproperlyConfigured(f"API_TOKEN_DAYS={API_TOKEN_DAYS}: at most 3650 (ten years).")
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

# Production hardening. Served over TLS means: Django redirects to HTTPS itself, or a
# TLS-terminating proxy in front says so in X-Forwarded-Proto. Either way cookies are secure
# and browsers are told to use HTTPS only (HSTS), however the redirect is done.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SERVED_OVER_TLS = not DEBUG and (SECURE_SSL_REDIRECT or BEHIND_TLS_PROXY)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SERVED_OVER_TLS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if SERVED_OVER_TLS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SERVED_OVER_TLS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SERVED_OVER_TLS)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Django's Content-Security-Policy on every response (pages, admin, API docs): scripts only
# from the site's own files, never inline; nothing from other hosts. Inline styles stay allowed
# for the admin's and the API docs' own markup.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # Sign-ins, failures, lockouts and token refusals, with the client address, are logged by
    # tracker.auth; django-axes' own lines (addresses masked) only when something goes wrong.
    "loggers": {"axes": {"level": "ERROR"}},
}

# The editor account `manage.py ensure_editor` (and so `make run`) makes sure exists.
EDITOR_USERNAME = env("EDITOR_USERNAME", "editor")

# The benchmark's bare view (`make bench`), the ceiling our pages are measured against.
BENCH_VIEWS = env_bool("BENCH_VIEWS", default=False)
# The benchmark app (its commands: bench, generate_corpus) is for development and CI only.
if DEBUG or BENCH_VIEWS:
    INSTALLED_APPS.append("bench")

# The JSON API (tracker/api/). Token or session authentication; only JSON in and out; every
# error as {"errors": {...}}. The API's own classes (permissions, pages, schema) are set on its
# views: naming them here would import tracker.api while rest_framework itself is loading.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tracker.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tracker.api.errors.api_exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Attribution tracker API",
    "DESCRIPTION": (
        "Claims, who asserted, denied, declined or ignored them, and the articles that say so. "
        "Lists take the claim list page's filters and are paged by cursor (follow `next`). "
        "Reading is open; writing needs an editor's token (`Authorization: Token <key>`). "
        'Every error is `{"errors": {"<field or parameter>": "<message>"}}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    # The docs page's scripts and styles come from drf-spectacular-sidecar: nothing from the
    # internet, and no validator badge fetched from swagger.io.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {
        "deepLinking": True,
        # A pasted token lives only as long as the page: never kept in the browser's storage.
        "persistAuthorization": False,
        "validatorUrl": None,
    },
    "ENUM_NAME_OVERRIDES": {
        "StanceEnum": "tracker.models.Stance",
        "AnonymityEnum": "tracker.models.Anonymity",
        "ClaimStatusEnum": "tracker.models.ClaimStatus",
        "ActorKindEnum": "tracker.models.ActorKind",
        "SourceKindEnum": "tracker.models.SourceKind",
    },
}

# The largest article body the loaders (import_article, the seeds, the API) take, in bytes of
# UTF-8: a long feature is well under 1 MB; tens of MB is a mistake or an attack.
ARTICLE_MAX_BYTES = env_int("ARTICLE_MAX_BYTES", 5 * 1024 * 1024)
if ARTICLE_MAX_BYTES < 1:
    raise ImproperlyConfigured(f"ARTICLE_MAX_BYTES={ARTICLE_MAX_BYTES} must be at least 1.")
