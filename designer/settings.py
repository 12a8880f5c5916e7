"""The one settings module. Every knob is an environment variable with an embedded default.

With no variables set, Trellis runs embedded: SQLite, a filesystem broker and an in-memory
channel layer, all under TRELLIS_DATA_DIR. Production sets DATABASE_URL, CELERY_BROKER_URL
and TRELLIS_REDIS_URL (see docs/production.md).
"""

import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from kombu.transport import TRANSPORT_ALIASES

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DATA_DIR = Path(env.str("TRELLIS_DATA_DIR", default=str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _embedded_secret_key() -> str:
    """A key made once per data folder, so an embedded install needs no configuration."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("TRELLIS_SECRET_KEY", default="") or _embedded_secret_key()
DEBUG = env.bool("TRELLIS_DEBUG", default=False)
ALLOWED_HOSTS = env.list("TRELLIS_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("TRELLIS_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "channels",
    "designer.workspaces",
    "designer.pipelines",
    "designer.gallery",
    "designer.datasets",
    "designer.web",
    "designer.embedded",
    "runner",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "designer.urls"
ASGI_APPLICATION = "designer.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

# Database: SQLite in the data folder unless DATABASE_URL says otherwise.
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'trellis.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker write while the server reads; IMMEDIATE takes the write lock up front
    # so two processes never deadlock upgrading a read lock.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests on SQLite get a file too: Django's default in-memory test database is shared between
    # threads through a cache whose table locks fail at once instead of waiting, unlike the file
    # the embedded mode runs on (so tests of racing processes would fail for a reason it never has).
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-trellis.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Whitenoise serves straight from STATICFILES_DIRS; set a root only to run collectstatic.
STATIC_ROOT = env.str("TRELLIS_STATIC_ROOT", default="") or None
# The canvas bundle, written by Vite under static/dist with its manifest.
FRONTEND_MANIFEST = BASE_DIR / "static" / "dist" / "manifest.json"
WHITENOISE_USE_FINDERS = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "designer.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Trellis API",
    "DESCRIPTION": "Design, validate and run machine-learning pipelines.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# Live updates: Redis in production, in-process in the embedded server.
REDIS_URL = env.str("TRELLIS_REDIS_URL", default="")
if REDIS_URL:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Celery: a broker in the data folder unless CELERY_BROKER_URL names a server.
BROKER_DIR = DATA_DIR / "broker"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://localhost/")
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
# kombu's own filesystem transport can hand a worker a half-written message; ours cannot.
TRANSPORT_ALIASES["filesystem"] = "designer.embedded.broker:AtomicFilesystemTransport"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for folder in ("out", "processed", "control"):
        (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "out"),
        "data_folder_out": str(BROKER_DIR / "out"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        # The worker looks for messages this often while its pool is busy or the folder empty:
        # 20 ms halves a 200-step fan-out's time against 50 ms, for 1.5 % of a core when idle
        # (0.75 % at 50 ms, 2.9 % at 10 ms; bench/RESULTS.md).
        "polling_interval": 0.02,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = env.str("TRELLIS_DEFAULT_QUEUE", default="trellis")
# A worker reserves one message per free pool process, so that other workers take the rest.
# The embedded worker is alone, and its folder broker is polled (a process that finished a step
# would wait for the next poll): it reserves a few more. A 200-step fan-out: 18 -> 12 ms a step.
CELERY_WORKER_PREFETCH_MULTIPLIER = 4 if CELERY_BROKER_URL.startswith("filesystem://") else 1
CELERY_TASK_ACKS_LATE = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Runner
ARTIFACT_DIR = Path(env.str("TRELLIS_ARTIFACT_DIR", default=str(DATA_DIR / "artifacts"))).resolve()
MODULE_PACKAGES = env.list("TRELLIS_MODULE_PACKAGES", default=[])
# A canceled or timed-out step gets SIGTERM, then SIGKILL after this many seconds.
CANCEL_GRACE_SECONDS = env.float("TRELLIS_CANCEL_GRACE_SECONDS", default=5.0)
# Zip archives from users (module packages, script bundles): at most this many members and this
# many bytes once uncompressed; an uploaded package file at most this big.
ARCHIVE_MAX_MEMBERS = env.int("TRELLIS_ARCHIVE_MAX_MEMBERS", default=1000)
ARCHIVE_MAX_BYTES = env.int("TRELLIS_ARCHIVE_MAX_BYTES", default=50 * 1024 * 1024)
MODULE_PACKAGE_MAX_BYTES = env.int("TRELLIS_MODULE_PACKAGE_MAX_BYTES", default=10 * 1024 * 1024)
# Crash safety (runner/reaper.py): a worker renews its own and its running steps' heartbeats
# every HEARTBEAT_SECONDS; one silent for LOST_AFTER_SECONDS is lost and its steps are queued
# again, each at most STEP_MAX_ATTEMPTS times in all before it fails.
HEARTBEAT_SECONDS = env.float("TRELLIS_HEARTBEAT_SECONDS", default=10.0)
LOST_AFTER_SECONDS = env.float("TRELLIS_LOST_AFTER_SECONDS", default=3 * HEARTBEAT_SECONDS)
STEP_MAX_ATTEMPTS = env.int("TRELLIS_STEP_MAX_ATTEMPTS", default=3)
# A task runs its step, then up to this many other queued steps of that step's run on its queue,
# which may have no task of their own (runner/execute.py: a fan-out's steps share a few); then
# it hands the rest on as one task.
STEPS_PER_TASK = env.int("TRELLIS_STEPS_PER_TASK", default=100)
# Steps of trusted modules (built-ins, module packages) run in the worker's own process unless
# this is set; user code (scripts, SQL, workspace modules) always gets a process of its own.
FORK_EVERY_STEP = env.bool("TRELLIS_FORK_EVERY_STEP", default=False)
# Workers' pool processes commit run state without waiting for PostgreSQL's WAL flush; a
# database crash may then lose the last few changes, which the reaper redoes (runner/celery_hooks.py).
WORKER_SYNCHRONOUS_COMMIT = env.bool("TRELLIS_WORKER_SYNCHRONOUS_COMMIT", default=False)
# A pool process keeps its database connections across tasks for this many seconds (opening
# one costs ~9 ms, more than a short step), checking before each task that they still work.
# Celery's Django fixup would close them around every task unless CELERY_DB_REUSE_MAX is set:
# it then closes them only every that many tasks (runner/celery_hooks.py).
WORKER_DB_CONN_MAX_AGE = env.int("TRELLIS_WORKER_DB_CONN_MAX_AGE", default=300)
CELERY_DB_REUSE_MAX = 1000
# A pool process that grew past this after a task is replaced (inline steps run in it).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("TRELLIS_WORKER_MAX_MEMORY_MB", default=2048) * 1024  # in KiB
# A worker running as root runs steps as this user, so a step cannot read the worker's
# secrets (docs/security.md). Empty: steps run as the worker's user.
STEP_USER = env.str("TRELLIS_STEP_USER", default="nobody")
# Workspace datasets and Import Data (docs/designer.md, "Data in and out").
UPLOAD_MAX_BYTES = env.int("TRELLIS_UPLOAD_MAX_BYTES", default=100 * 1024 * 1024)
IMPORT_MAX_BYTES = env.int("TRELLIS_IMPORT_MAX_BYTES", default=100 * 1024 * 1024)
IMPORT_TIMEOUT_SECONDS = env.float("TRELLIS_IMPORT_TIMEOUT_SECONDS", default=30.0)
# Hosts Import Data may download from although they resolve to private or loopback addresses.
IMPORT_ALLOWED_HOSTS = env.list("TRELLIS_IMPORT_ALLOWED_HOSTS", default=[])
# Where the embedded server tells workers to post live events (see designer/live/outlet.py).
LIVE_ENDPOINT_FILE = DATA_DIR / "live-endpoint.json"


def _not_negative(name: str, default: int) -> int:
    value = env.int(name, default=default)
    if value < 0:
        raise ImproperlyConfigured(f"{name} must be 0 or more, not {value}")
    return value


# Artifact housekeeping (docs/runner.md, "Retention and garbage collection").
# Flush each artifact to disk before its rename: for power loss; a rename alone survives kill -9.
ARTIFACT_FSYNC = env.bool("TRELLIS_ARTIFACT_FSYNC", default=False)
# Outputs of a run are kept this many days after it finished; those of each pipeline's last
# RETENTION_KEEP_LAST runs, and of runs pinned with "keep", always. A workspace owner may override both.
RETENTION_DAYS = _not_negative("TRELLIS_RETENTION_DAYS", 30)
RETENTION_KEEP_LAST = _not_negative("TRELLIS_RETENTION_KEEP_LAST", 5)
# Collection deletes nothing written or released less than this long ago (a step may be recording it).
ARTIFACT_GRACE_SECONDS = _not_negative("TRELLIS_ARTIFACT_GRACE_SECONDS", 3600)
# The embedded server collects garbage this often (production runs `manage.py collect_artifacts`); 0: never.
COLLECT_INTERVAL_SECONDS = _not_negative("TRELLIS_COLLECT_INTERVAL_SECONDS", 3600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("TRELLIS_LOG_LEVEL", default="WARNING")},
}
