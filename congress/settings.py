"""Settings for the town People's Congress work portal.

Every value that differs between installations comes from the environment. The defaults point at
the local PostgreSQL and Redis on their standard ports, so a developer needs no configuration.
Redis is the Celery broker and nothing else: sessions, cache and login-lockout state live in
PostgreSQL, so a Redis outage never touches a web request.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

# Marks the development-only default so production can refuse it.
INSECURE_SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
# Read verbatim: django-environ would treat a key starting with "$" as the name of another variable.
SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_SECRET_KEY)
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])


def check_production_settings(*, debug: bool, secret_key: str, allowed_hosts: list[str]) -> None:
    """Refuse to run with DEBUG off unless a real SECRET_KEY and ALLOWED_HOSTS are given."""
    if debug:
        return
    problems = []
    if not secret_key or secret_key == INSECURE_SECRET_KEY or len(secret_key) < 32:
        problems.append("SECRET_KEY must be set to a random value of at least 32 characters")
    if not allowed_hosts:
        problems.append("ALLOWED_HOSTS must list the host names this portal is served under")
    if problems:
        raise ImproperlyConfigured("DEBUG is off, so the portal refuses to start: " + "; ".join(problems) + ".")


check_production_settings(debug=DEBUG, secret_key=SECRET_KEY, allowed_hosts=ALLOWED_HOSTS)

# The portal's own apps, the core first; each may import only the apps before it (see .importlinter).
PROJECT_APPS = ["congress", "sittings", "visits", "suggestions", "supervision", "duty", "demo"]

# What the daily reminder sweep (congress.reminders) asks each day, in this order: each app's collectors
# of what is due, and before them the steps that record what a passing day decided.
REMINDER_COLLECTORS = [
    "visits.tasks.visit_reminders",
    "supervision.tasks.deadline_reminders",
    "supervision.tasks.chairman_digest",
    "suggestions.tasks.suggestion_reminders",
    "sittings.tasks.session_reminders",
]
REMINDER_SWEEP_STEPS = ["suggestions.services.record_unrated_answers"]

# The menu entries of each app (its navigation.ENTRIES), in menu order; see congress.navigation.
NAVIGATION = [
    "congress.navigation.ENTRIES",
    "duty.navigation.ENTRIES",
    "visits.navigation.ENTRIES",
    "suggestions.navigation.ENTRIES",
    "sittings.navigation.ENTRIES",
    "supervision.navigation.ENTRIES",
]

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
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "axes",
    "simple_history",
    *PROJECT_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "congress.middleware.ChineseByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "congress.middleware.SessionTimeoutMiddleware",
    "congress.middleware.PasswordChangeRequiredMiddleware",
    "congress.middleware.NoStoreForSignedInUsersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "congress.middleware.DatabaseUnavailableMiddleware",
    # Who made a change: django-simple-history takes the request's user for each history row.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Refused requests (403, and 404 for a record outside the user's scope) go into the audit trail.
    "congress.audit.DeniedAccessMiddleware",
    # Last, as django-axes asks: it turns a lockout signalled by its backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# `make bench` reads each response's query count from a header; this is never set in production.
if env.bool("BENCH_QUERY_HEADER", default=False):
    MIDDLEWARE.insert(0, "congress.middleware.QueryCountHeaderMiddleware")

ROOT_URLCONF = "congress.urls"
WSGI_APPLICATION = "congress.wsgi.application"
ASGI_APPLICATION = "congress.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "congress.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/congress"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
# A connection kept between requests is checked before reuse, so a restarted database costs one
# reconnect instead of an error page.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# No transaction around whole requests: each service is its own transaction boundary (docs/architecture.md,
# "Transactions").
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# An optional read replica for the dashboards (docs/deployment.md): off unless DATABASE_REPLICA_URL is set.
# congress.db_router sends the dashboards' reads there and everything else to the primary.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"].setdefault("CONN_MAX_AGE", DATABASES["default"]["CONN_MAX_AGE"])
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["congress.db_router.DashboardReplicaRouter"]

AUTH_USER_MODEL = "congress.User"
# AxesStandaloneBackend first: it refuses a locked-out account and IP before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's model backend, reading the user's town and unread count with the user (one statement).
    "congress.auth_backends.PortalBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# 等保 2.0 level 2: at least 12 characters of at least three classes, never a common password.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "congress.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "congress.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login protection (django-axes, state in PostgreSQL): 5 failures in a row from one IP address for one
# account lock that pair out for 15 minutes. Every failure (AccessFailureLog) and every sign-in and
# sign-out (AccessLog) is recorded. Behind a reverse proxy, name the header it sets and how many proxies.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "congress.views.locked_out"
AXES_USERNAME_CALLABLE = "congress.login.axes_username"
# No "AXES: BEGIN" banner on every start of a command: the audit trail records sign-ins and lockouts.
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = tuple(env.list("AXES_CLIENT_IP_HEADERS", default=["REMOTE_ADDR"]))
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=None)

# Sessions and cache in PostgreSQL: the web never depends on Redis.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# 等保 level 2: a session ends after 30 idle minutes and 12 hours after signing in, whatever happens
# (congress.middleware.SessionTimeoutMiddleware); the cookie ends with the browser.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "congress_cache",
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / ".data" / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# `manage.py backup` writes here and keeps the newest BACKUP_KEEP dumps.
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / ".data" / "backups")
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)
# Uploaded files are private: never under a public URL, served only through a view that asks access.py.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".data" / "media")
MEDIA_URL = "/files/"
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# The audit trail (audit events and change history) is kept this many days; `manage.py prune_audit`
# removes older rows but never any younger than six months, whatever this says (等保 2.0 level 2).
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=365)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: Redis only as the broker; results are not kept.
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
# Arguments are ids and ISO dates only, as JSON: a task loads fresh rows, never a stale pickled object.
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Acknowledge after the task ran: a crash means a redelivery, which is harmless as every task is
# idempotent (reminders are claimed under a unique key, deliveries recorded before they are sent).
CELERY_TASK_ACKS_LATE = True
# A worker killed mid-task (OOM, SIGKILL) puts the message back instead of losing it.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One message at a time per process, so a long sweep does not hold others' messages hostage.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker whose main process is killed cannot put its message back: Redis hands it out again once it
# has been unacknowledged for the visibility timeout. 180 s plus a 30 s scan keeps a killed worker's
# sweep within 5 minutes of its time (docs/reliability.md, promise 7). Every task must end well within
# it (the time limits below), or Redis would hand it to a second worker while the first still runs; no
# task is sent with a countdown or an ETA, which would have to fit in it too.
BROKER_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=180)
# Each running worker, and each worker as it starts, looks for such messages every unacked_restore_interval seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=30),
    "unacked_restore_throttle": 1,
}
# No task may hang a worker: the soft limit raises inside the task, the hard one kills the process. Both
# stay below the visibility timeout; the relay stops taking new rows after NOTIFICATIONS_RELAY_SECONDS.
CELERY_TASK_SOFT_TIME_LIMIT = BROKER_VISIBILITY_TIMEOUT * 2 // 3
CELERY_TASK_TIME_LIMIT = BROKER_VISIBILITY_TIMEOUT * 5 // 6
# A worker started before Redis (a reboot, `make run`) waits for it instead of exiting.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Beat runs once per installation (`make run` starts one); its schedule lives in the database, created
# by a data migration and edited in the admin, so settings never overwrite it.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="人大工作平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

PORTAL_NAME = _("Town People's Congress Work Portal")
# Links in e-mails and messages point here.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# Notification channels: dotted paths of senders (congress.notifications); the SMS gateway takes JSON.
NOTIFICATIONS_EMAIL_SENDER = "congress.notifications.EmailSender"
NOTIFICATIONS_SMS_SENDER = env.str("NOTIFICATIONS_SMS_SENDER", default="congress.notifications.LoggingSmsSender")
NOTIFICATIONS_SMS_GATEWAY_URL = env.str("NOTIFICATIONS_SMS_GATEWAY_URL", default="")
NOTIFICATIONS_WORK_CHAT_SENDER = "congress.notifications.WorkChatSender"
# A user's group-robot address may name only these hosts (WeCom, DingTalk, Feishu/Lark); a request to it never
# reaches a loopback, private or link-local address unless that address lies in one of the allowed networks
# (an office's own relay on its intranet, say). congress.outbound enforces both.
NOTIFICATIONS_WORK_CHAT_HOSTS = env.list(
    "NOTIFICATIONS_WORK_CHAT_HOSTS",
    default=["qyapi.weixin.qq.com", "oapi.dingtalk.com", "open.feishu.cn", "open.larksuite.com"],
)
NOTIFICATIONS_OUTBOUND_ALLOWED_NETWORKS = env.list("NOTIFICATIONS_OUTBOUND_ALLOWED_NETWORKS", default=[])
# Delivery of notifications (congress.notifications): attempts before giving up (retried with exponential
# backoff: 2, 4, 8... minutes); seconds a send may take (SMTP and HTTP); seconds after which a row still
# being sent counts as abandoned mid-send and becomes "unconfirmed" for the office to check (longer than
# any send); seconds one relay run sends before leaving the rest to the next (within the task time limit).
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=6)
NOTIFICATIONS_SEND_TIMEOUT = env.int("NOTIFICATIONS_SEND_TIMEOUT", default=10)
NOTIFICATIONS_UNCONFIRMED_AFTER = env.int("NOTIFICATIONS_UNCONFIRMED_AFTER", default=90)
NOTIFICATIONS_RELAY_SECONDS = env.int("NOTIFICATIONS_RELAY_SECONDS", default=60)
# How many notifications one statement inserts (congress.notifications.notify_many); each batch commits.
NOTIFICATIONS_BATCH_SIZE = env.int("NOTIFICATIONS_BATCH_SIZE", default=500)

# Content Security Policy (django-csp 4). Scripts only from this site: no inline script, no eval. Styles
# only from this site's files: no <style> element and no style="" attribute in markup. Styles that
# JavaScript sets through the CSSOM (element.style, as Bootstrap's Popper and ECharts do) are not
# governed by style-src and keep working. Images from this site and data: URIs (Bootstrap's CSS draws
# its form icons as data: SVGs). Checked in Chromium by tests/e2e/test_csp_in_browser.py: Bootstrap,
# its icons, htmx and ECharts' canvas charts run without a violation; ECharts' HTML tooltips build
# style="" markup, so charts use `tooltip.renderMode: "richText"` (docs/security.md).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# htmx takes the CSRF token from the page (base.html), so no script needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SILENCED_SYSTEM_CHECKS: list[str] = []
if not DEBUG:
    # Production is served over HTTPS only (等保 level 2: credentials and personal data are encrypted in
    # transit). The reverse proxy terminates TLS and says so in X-Forwarded-Proto.
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    # Preloading asks browser makers to hard-code the domain as HTTPS-only, for the whole registered
    # domain; an office cannot decide that for a government domain, so it is off and its warning
    # (security.W021) silenced. An installation that owns its domain sets SECURE_HSTS_PRELOAD=true.
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A refused form token gets the portal's Chinese page, not Django's English one.
CSRF_FAILURE_VIEW = "congress.views.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Uploads: the largest file accepted, whatever the plan (store_upload also checks the type).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
