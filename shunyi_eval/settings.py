"""Settings: one file, every value from the environment with a safe embedded default.

The embedded default needs no services: SQLite in the project folder, Celery tasks run in process, e-mail
written to files. Set DATABASE_URL and CELERY_BROKER_URL to run on PostgreSQL + Redis with a worker.
Bad values fail loudly at start-up rather than being silently replaced.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in env_str(name, default).split(",") if part.strip()]


# Off unless set: `make run` and the test configuration (pyproject's [tool.pytest_env]) set DEBUG=1.
DEBUG = env_bool("DEBUG", False)
# The development key is in the repository, so it is refused whenever DEBUG is off (it forges e-mail links).
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-shunyi-eval"  # noqa: S105 (development only)
SECRET_KEY = env_str("SECRET_KEY", "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set (and not to the development key) when DEBUG is off: "
        "generate one with `python -c 'import secrets; print(secrets.token_urlsafe(50))'`"
    )
SECRET_KEY = SECRET_KEY or DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Reverse proxies (addresses or networks, e.g. "10.0.0.5,172.16.0.0/12") whose X-Forwarded-For is believed for
# the audit trail's client address. Empty: the address is REMOTE_ADDR, whatever a request claims.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
# Absolute address printed on certificates and QR codes (the public verification page).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "rules",
    "core",
    "axes",
    "accounts",
    "assessments",
    "experts",
    "supervision",
    "documents",
    "shunyi_eval.apps.ShunyiEvalConfig",
    "ninja",  # only for its packaged Swagger UI files (static/ninja/…): the API docs page loads nothing from a CDN
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.inputs.InputPolicyMiddleware",
    "core.middleware.ClientAddressMiddleware",
    "accounts.session_timeout.IdleTimeoutMiddleware",
    "shunyi_eval.security.PrivateNoStoreMiddleware",
    "shunyi_eval.security.DebugPageForLocalOnlyMiddleware",
    # Last: turns a lockout recorded during the login into the lockout page (accounts.signin).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shunyi_eval.urls"
WSGI_APPLICATION = "shunyi_eval.wsgi.application"

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
                "django.template.context_processors.i18n",
                "accounts.context_processors.navigation",
                "supervision.context_processors.todo",
            ],
            # Shown the same way everywhere: Beijing time (core.display) and points as decimals.
            "builtins": ["core.display", "assessments.templatetags.points"],
        },
    },
]

# Not kept as a setting of its own (lower case): it holds the database password.
_database_url = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# Persistent connections (a new PostgreSQL connection costs ~9 ms a request here), checked before each
# request reuses one, so a connection the server dropped is replaced instead of failing the request.
DATABASES = {
    "default": dj_database_url.parse(
        _database_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
del _database_url
# PostgreSQL through core.postgresql: Django's backend whose health check asks the kernel, not the server, whether
# a kept connection is still open (no SELECT 1 round trip per request; core/postgresql/base.py says why it holds).
_POSTGRESQL = ("django.db.backends.postgresql", "core.postgresql")
if DATABASES["default"]["ENGINE"] == _POSTGRESQL[0]:
    DATABASES["default"]["ENGINE"] = _POSTGRESQL[1]
# A read replica of the same database for the dashboards' figures (core.replica): reads inside
# `replica_reads()` go there, everything else to the primary. In tests the alias mirrors the test database.
_replica_url = env_str("DATABASE_REPLICA_URL", "")
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(_replica_url)
    for _key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS"):  # kept as the primary's, whatever those are
        if _key in DATABASES["default"]:
            DATABASES["replica"][_key] = DATABASES["default"][_key]
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if DATABASES["replica"]["ENGINE"] == _POSTGRESQL[0]:
        DATABASES["replica"]["ENGINE"] = _POSTGRESQL[1]
    del _key
del _replica_url
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several tabs autosaving at once: wait for the write lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# 等保2.0 二级: length >= 10, letters and digits, not the username, not common (accounts/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.passwords.MinimumLengthValidator"},
    {"NAME": "accounts.passwords.LettersAndDigitsValidator"},
    {"NAME": "accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded files are never served from MEDIA_URL: every download goes through a view that checks who asks.
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "core.staticfiles.StaticFilesStorage"  # WhiteNoise's, each URL computed once
        )
    },
}

# Development and tests serve static files straight from static/ (no collectstatic needed).
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

# The bureau's PAdES signing key and certificate for the 等级证书 and 评测报告 (documents/signing.py). Unset: the
# development pair under var/signing/, made by `manage.py ensure_signing_key` (never committed).
PDF_SIGNING_DEV_DIR = BASE_DIR / "var" / "signing"
PDF_SIGNING_KEY = Path(env_str("PDF_SIGNING_KEY", str(PDF_SIGNING_DEV_DIR / "dev-key.pem")))
PDF_SIGNING_CERT = Path(env_str("PDF_SIGNING_CERT", str(PDF_SIGNING_DEV_DIR / "dev-cert.pem")))
PDF_SIGNING_KEY_PASSWORD = env_str("PDF_SIGNING_KEY_PASSWORD", "")
PDF_SIGNING_CHAIN = env_str("PDF_SIGNING_CHAIN", "")  # comma-separated intermediate certificate files

EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
# How long an e-mail confirmation link stays valid (seconds).
EMAIL_CONFIRMATION_MAX_AGE = env_int("EMAIL_CONFIRMATION_MAX_AGE", 3 * 24 * 3600)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Outgoing mail (Django's MAILERS). Development default: messages are written as files to sent-mail/;
# with DEBUG off the default is SMTP (EMAIL_HOST...).
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
if EMAIL_BACKEND.endswith("filebased.EmailBackend"):
    _mail_options = {"file_path": env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))}
elif EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
    }
else:
    _mail_options = {}
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND, "OPTIONS": _mail_options}}
del EMAIL_BACKEND
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "顺义区中小企业数字化水平评测平台 <noreply@shunyi-eval.local>"
)

# Celery: no broker configured = every task runs eagerly in the calling process (embedded default).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TRACK_STARTED = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}

# Separate queues so that bulk work never delays a person's PDF: reports and dossiers go to
# CELERY_QUEUE_PDF, regrading and the bureau's exports to CELERY_QUEUE_BULK (README "Where it outgrows one
# machine"). Empty (the default): everything goes to the default queue. A worker started without -Q consumes
# every queue named here; dedicated workers pick theirs with `-Q`.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_QUEUE_PDF = env_str("CELERY_QUEUE_PDF", "")
CELERY_QUEUE_BULK = env_str("CELERY_QUEUE_BULK", "")
CELERY_TASK_ROUTES = {}  # glob patterns of task names → queue
if CELERY_QUEUE_PDF:
    CELERY_TASK_ROUTES["documents.tasks.*"] = {"queue": CELERY_QUEUE_PDF}
if CELERY_QUEUE_BULK:
    CELERY_TASK_ROUTES["assessments.tasks.regrade*"] = {"queue": CELERY_QUEUE_BULK}
    CELERY_TASK_ROUTES["supervision.tasks.*"] = {"queue": CELERY_QUEUE_BULK}
_queues = list(
    dict.fromkeys(q for q in (CELERY_TASK_DEFAULT_QUEUE, CELERY_QUEUE_PDF, CELERY_QUEUE_BULK) if q)
)
if len(_queues) > 1:
    from kombu import Queue

    CELERY_TASK_QUEUES = [Queue(name) for name in _queues]
del _queues

# The cache: per process by default; set CACHE_URL (redis://…) when several web processes run, so that the
# API's rate limit is one count for all of them.
# (Not kept as a setting of its own: it may hold the Redis password.)
_cache_url = env_str("CACHE_URL", "")
if _cache_url and not _cache_url.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("CACHE_URL is not a redis:// address")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # The parts of the public frame (templates/base_public.html) that depend on nothing but the language, each
    # rendered once per process and language ({% cache %}): in this process's memory as they are (core.cache: no
    # pickling), since rendering them is cheap beside a network round trip, and never in development, where
    # templates change while the server runs.
    "fragments": {
        "BACKEND": "django.core.cache.backends.dummy.DummyCache"
        if DEBUG
        else "core.cache.ProcessMemoryCache",
        "LOCATION": "fragments",
        "TIMEOUT": None,
    },
}
del _cache_url

# The JSON API (api/): requests per token per period (N/s, N/m, N/h, N/d); over it the API answers 429.
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "120/m")
if not re.fullmatch(r"[1-9][0-9]*/[smhd]", API_RATE_LIMIT):
    raise ImproperlyConfigured(f"API_RATE_LIMIT={API_RATE_LIMIT!r} is not N/s, N/m, N/h or N/d")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# --- Sessions and sign-in (等保2.0 二级) ---------------------------------------------------------------------
# Signed out after this many seconds without a request (accounts.session_timeout.IdleTimeoutMiddleware); the
# session cookie has no expiry date, so it also ends when the browser closes.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failures for one username, or from one address,
# further attempts are refused for AXES_COOLOFF_SECONDS (each refused attempt starts the wait again); the
# bureau can unlock earlier at /bureau/lockouts/.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(seconds=env_int("AXES_COOLOFF_SECONDS", 15 * 60))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.signin.client_ip"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False

# --- Transport and browser security -------------------------------------------------------------------------
# The debug error page is shown only to these addresses (never to visitors from elsewhere).
INTERNAL_IPS = env_list("INTERNAL_IPS", "127.0.0.1,::1")
DEFAULT_EXCEPTION_REPORTER_FILTER = "shunyi_eval.security.SecretsHidingFilter"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto: https (and strips it from clients).
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (Django's own): scripts only from this site's static files — no inline script, no
# eval. Styles may be inline (Bootstrap components and htmx set style attributes). Always on, so development
# and the browser tests run under the same policy as production.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}
