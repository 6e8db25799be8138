"""CareBridge settings: one module, every value read through the typed helpers of ``carebridge.env``.

The embedded default (no ``DATABASE_URL``, no ``REDIS_URL``) runs on SQLite and a file-system Celery
broker, so ``make demo`` needs no server. Production sets ``CAREBRIDGE_ENV=production`` and gets the
secure cookie/header settings; it then refuses to start without an explicit ``SECRET_KEY``.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from celery.schedules import crontab

from carebridge.env import (
    ConfigurationError,
    env_bool,
    env_choice,
    env_float,
    env_int,
    env_list,
    env_optional,
    env_secret,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CAREBRIDGE_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

ENVIRONMENT = env_str("CAREBRIDGE_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ConfigurationError(f"CAREBRIDGE_ENV must be 'development' or 'production', got {ENVIRONMENT!r}.")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("CAREBRIDGE_DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ConfigurationError("CAREBRIDGE_DEBUG must be off when CAREBRIDGE_ENV=production.")


def _secret_key() -> str:
    if PRODUCTION:
        return env_secret("SECRET_KEY")
    try:
        return env_secret("SECRET_KEY")
    except ConfigurationError:
        # A development machine gets a random key of its own, kept out of the repository.
        path = VAR_DIR / "secret_key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "carebridge.core",
    "carebridge.patients",
    "carebridge.knowledge",
    "carebridge.desk",  # migration history only: existing databases migrate through it
    "carebridge.complaints",
    "carebridge.frontdesk",
    "carebridge.followup",
    "carebridge.surveys",
    "carebridge.insights",
    "carebridge.checkup",
    "carebridge.critical",
    "carebridge.interop",
    "carebridge.performance",
    "carebridge.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "carebridge.core.middleware.ChosenLanguageMiddleware",
    "carebridge.core.middleware.NoStoreMiddleware",
    "carebridge.core.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes last: it must see the authentication result of the views above.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "carebridge.urls"
WSGI_APPLICATION = "carebridge.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "carebridge" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "carebridge.core.context_processors.carebridge",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DATABASE_URL = env_optional("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Issue 18 (docs/performance.md): in production each gunicorn worker process keeps a psycopg
        # pool of DB_POOL_MAX connections shared by its threads (Django 5.2 OPTIONS["pool"]; persistent
        # connections are then off), and server-side binding lets psycopg prepare a statement a
        # connection runs again and again (the token lookup of a survey submission). Both are opt-in:
        # a pool per process needs max_connections ≥ workers × DB_POOL_MAX, and server-side binding
        # does not suit PgBouncer in transaction mode.
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        if env_bool("DB_POOL", False):
            DATABASES["default"]["CONN_MAX_AGE"] = 0
            _options["pool"] = {
                "min_size": env_int("DB_POOL_MIN", 2, minimum=0),
                "max_size": env_int("DB_POOL_MAX", 8, minimum=1),
                "timeout": env_int("DB_POOL_TIMEOUT", 10, minimum=1),
            }
        if env_bool("DB_SERVER_SIDE_BINDING", False):
            _options["server_side_binding"] = True
            # psycopg prepares a query a connection has run more than this many times (default 5).
            _options["prepare_threshold"] = env_int("DB_PREPARE_THRESHOLD", 2, minimum=0)
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "carebridge.sqlite3"),
            "OPTIONS": {
                # IMMEDIATE transactions and WAL let the web process and the embedded worker share the file.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # A file, not shared memory, so a Celery worker thread in the tests can read and write too;
            # one per process, so two test runs on one machine don't share it.
            "TEST": {"NAME": str(VAR_DIR / f"test_carebridge_{os.getpid()}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and background work --------------------------------------------------------------------
REDIS_URL = env_optional("REDIS_URL")
_TEST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1… when the suite runs in parallel
if REDIS_URL and _TEST_WORKER:
    # Each parallel test worker has a Redis database of its own below the one configured (15, 14, …), so
    # one worker's Celery worker never takes the other's tasks and a cache.clear() (FLUSHDB) stays its own.
    _parts = urlsplit(REDIS_URL)
    _db = int(_parts.path.strip("/") or 15) - int(_TEST_WORKER.removeprefix("gw"))
    REDIS_URL = urlunsplit(_parts._replace(path=f"/{_db}"))
CACHES: dict[str, dict[str, object]]
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CACHES["shared"] = CACHES["default"]
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # What every process must agree on (the public pages' rate limits, the reports workers compute):
        # without Redis, a table in the database (the surveys migration 0006), not per-process memory.
        "shared": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "carebridge_shared_cache",
            # Past MAX_ENTRIES (300 by default) Django deletes the expired keys and, if still too many, a
            # third of the rest: room for the large months' reports beside the rate limits, while the
            # count it takes on every write stays small.
            "OPTIONS": {"MAX_ENTRIES": 5_000},
        },
    }

CELERY_QUEUE_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": 3600}
else:
    # Embedded mode: kombu's file-system transport, a real broker that needs no server; its messages are
    # written whole before a worker can see them (core/broker.py).
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT = "carebridge.core.broker:Transport"
    for sub in ("in", "processed", "control"):
        (CELERY_QUEUE_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "in"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "in"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        # Broadcast (remote control) exchanges; kombu's default is ./control in the working directory.
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# From this many responses up the fast analyses (the insights tabs' indexes, items, trends, benchmarking,
# importance-performance, comments, and the analyses API) and a month's report (in the reader's scope) are
# computed by a Celery worker, the last figures shown meanwhile: ~1.4 s of analysis per 20,000 responses.
INSIGHTS_INLINE_RESPONSES = env_int("INSIGHTS_INLINE_RESPONSES", 20_000, minimum=0)
# Finished analysis runs are deleted after this many days (each selection's newest done run is kept).
INSIGHTS_RUNS_KEEP_DAYS = env_int("INSIGHTS_RUNS_KEEP_DAYS", 30, minimum=1)
# Workers keep the masking log handlers of LOGGING: Celery would otherwise replace the root handlers
# with its own, and worker log lines would carry whole national IDs and phone numbers.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = env_str("CAREBRIDGE_TIME_ZONE", "Asia/Shanghai")
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Scorecards: the computed KPIs, precomputed for the cockpit and a quarter or a year of scores:
    # the 18 months before this one each night; last month and this one every 15 minutes (a quarter or a
    # year reads this month's stored figure; a month's own scorecard counts this month live).
    "performance-kpi-month-values-refresh": {
        "task": "carebridge.performance.tasks.kpi_month_values_refresh",
        "schedule": crontab(hour=1, minute=20),
    },
    "performance-kpi-last-month-refresh": {
        "task": "carebridge.performance.tasks.kpi_last_month_refresh",
        "schedule": crontab(minute="7,22,37,52"),
    },
    # Improvement actions: reminders to owners and the one escalation of a late action, each morning.
    # Insights: the monthly satisfaction aggregate the dashboards read for closed months (a materialized
    # view refreshed CONCURRENTLY on PostgreSQL), recounted each night so a late response is counted.
    "insights-response-months-refresh": {
        "task": "carebridge.insights.tasks.response_months_refresh",
        "schedule": crontab(hour=1, minute=5),
    },
    "performance-actions-sweep": {
        "task": "carebridge.performance.tasks.actions_sweep",
        "schedule": crontab(hour=8, minute=5),
    },
    "insights-analysis-runs-purge": {
        "task": "carebridge.insights.tasks.analysis_runs_purge",
        "schedule": crontab(hour=3, minute=50),
    },
    "interop-messages-purge": {
        "task": "carebridge.interop.tasks.messages_purge",
        "schedule": crontab(hour=3, minute=40),
    },
    # Outbound messages: retries after back-off, and any message whose delivery task was lost.
    "core-outbox-sweep": {
        "task": "carebridge.core.tasks.outbox_sweep",
        "schedule": crontab(minute="*"),
    },
    "registry-quality-check": {
        "task": "carebridge.patients.tasks.registry_quality_check",
        "schedule": crontab(hour=2, minute=30),
    },
    # 双创 findings past their deadline: escalated once to the department head and the inspector.
    "performance-findings-escalate": {
        "task": "carebridge.performance.tasks.findings_escalate",
        "schedule": crontab(minute=5),
    },
    "performance-training-remind": {
        "task": "carebridge.performance.tasks.training_remind",
        "schedule": crontab(day_of_week=1, hour=8, minute=0),
    },
    "complaints-escalate-overdue": {
        "task": "carebridge.complaints.tasks.complaints_escalate_overdue",
        "schedule": crontab(minute="*/15"),
    },
    "desk-handovers-open-due": {
        "task": "carebridge.frontdesk.tasks.handovers_open_due",
        "schedule": crontab(minute="*/5"),
    },
    # Follow-up: plans for stays that arrived by bulk import, stale claims, the escalation chain.
    "followup-care-plans-ensure": {
        "task": "carebridge.followup.tasks.care_plans_ensure",
        "schedule": crontab(minute="*/10"),
    },
    "followup-claims-release-expired": {
        "task": "carebridge.followup.tasks.claims_release_expired",
        "schedule": crontab(minute="*/5"),
    },
    "followup-escalations-advance": {
        "task": "carebridge.followup.tasks.escalations_advance",
        "schedule": crontab(minute="*/15"),
    },
    # Surveys: invitations whose sending window has come, reminders, expiry, waves by date.
    "surveys-invitations-send-due": {
        "task": "carebridge.surveys.tasks.invitations_send_due",
        "schedule": crontab(minute="*/5"),
    },
    "surveys-waves-open-close-due": {
        "task": "carebridge.surveys.tasks.waves_open_close_due",
        "schedule": crontab(minute="*/5"),
    },
    "surveys-invitations-remind-due": {
        "task": "carebridge.surveys.tasks.invitations_remind_due",
        "schedule": crontab(minute="*/15"),
    },
    "surveys-invitations-expire": {
        "task": "carebridge.surveys.tasks.invitations_expire",
        "schedule": crontab(minute=7),
    },
    "insights-runs-expire-stale": {
        "task": "carebridge.insights.tasks.analysis_runs_expire_stale",
        "schedule": crontab(minute="*"),
    },
    "surveys-waves-draw-rolling": {
        "task": "carebridge.surveys.tasks.waves_draw_rolling",
        "schedule": crontab(minute=20),
    },
    # Checkup centre: the day's visits still open at night are closed (left the centre, or did not come).
    "checkup-visits-close-stale": {
        "task": "carebridge.checkup.tasks.visits_close_stale",
        "schedule": crontab(hour=23, minute=40),
    },
    # Critical results: a notification past its first-attempt or read-back target goes to the supervisor.
    "critical-notifications-escalate": {
        "task": "carebridge.critical.tasks.notifications_escalate",
        "schedule": crontab(minute="*"),
    },
}

# --- Authentication -------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # A user's permissions in one query (core/auth_backends.py); ModelBackend signs people in.
    "carebridge.core.auth_backends.PermissionsInOneRead",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30, minimum=1))
# Lock the account, not the address: a hospital's PCs share a few NAT addresses, and one user's typos must
# not lock out a whole ward. (Hence axes.W006 is silenced below.)
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 10, minimum=1) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    if env_bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Internationalisation and time ----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("CAREBRIDGE_TIME_ZONE", "Asia/Shanghai")

# --- Static files: installed by npm during set-up, served by whitenoise, never from a CDN ----------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "carebridge" / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/tom-select", NODE_MODULES / "tom-select" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Production: hashed, compressed files from collectstatic. Elsewhere whitenoise serves straight
        # from the finders (WHITENOISE_USE_FINDERS), so the demo needs no collectstatic at all.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = VAR_DIR / "media"

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "carebridge.core.api.authentication.PreparedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "carebridge.core.api.pagination.StandardPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "carebridge.core.api.filters.Ordering",
    ],
    # DRF's JSON and browsable renderers; the JSON written by orjson (core/api/renderers.py).
    "DEFAULT_RENDERER_CLASSES": [
        "carebridge.core.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "carebridge.core.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "carebridge.core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "carebridge.core.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"auth": "20/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CareBridge API",
    "DESCRIPTION": "连心桥 — hospital customer-service and patient-experience platform. "
    "Identifiers are masked; every patient read is logged.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every choice set by one name, so the same field name in two apps gives two readable enums.
    "ENUM_NAME_OVERRIDES": {
        "PerformanceActionStatusEnum": "carebridge.performance.choices.ActionStatus",
        "PerformanceActionSourceEnum": "carebridge.performance.choices.ActionSource",
        "PerformanceActivityKindEnum": "carebridge.performance.choices.ActivityKind",
        "PerformanceRoundKindEnum": "carebridge.performance.choices.RoundKind",
        "PerformanceFindingStatusEnum": "carebridge.performance.choices.FindingStatus",
        "PerformanceScorecardStatusEnum": "carebridge.performance.models.scorecards.ScorecardStatus",
        "PerformanceScorecardLevelEnum": "carebridge.performance.models.scorecards.ScorecardLevel",
        "HospitalLevelEnum": "carebridge.core.choices.HospitalLevel",
        "FollowupStandaloneReasonEnum": "carebridge.followup.choices.StandaloneReason",
        "FollowupRecheckOutcomeEnum": "carebridge.followup.choices.RecheckOutcome",
        "HospitalTypeEnum": "carebridge.core.choices.HospitalType",
        "DepartmentKindEnum": "carebridge.core.choices.DepartmentKind",
        "StaffKindEnum": "carebridge.core.choices.StaffKind",
        "RegionLevelEnum": "carebridge.core.choices.RegionLevel",
        "SexEnum": "carebridge.patients.choices.Sex",
        "CustomerClassEnum": "carebridge.patients.choices.CustomerClass",
        "PhoneKindEnum": "carebridge.patients.choices.PhoneKind",
        "EncounterKindEnum": "carebridge.patients.choices.EncounterKind",
        "SurgeryGradeEnum": "carebridge.patients.choices.SurgeryGrade",
        "AccessActionEnum": "carebridge.patients.choices.AccessAction",
        "AccessChannelEnum": "carebridge.patients.choices.AccessChannel",
        "RevealFieldEnum": "carebridge.patients.choices.RevealField",
        "KnowledgeEntryKindEnum": "carebridge.knowledge.choices.EntryKind",
        "KnowledgeWeekdayEnum": "carebridge.knowledge.choices.Weekday",
        "KnowledgeHalfDayEnum": "carebridge.knowledge.choices.HalfDay",
        "KnowledgeClinicTypeEnum": "carebridge.knowledge.choices.ClinicType",
        "KnowledgeTreatmentApproachEnum": "carebridge.knowledge.choices.TreatmentApproach",
        "KnowledgeFaqCategoryEnum": "carebridge.knowledge.choices.FaqCategory",
        "KnowledgeProximityEnum": "carebridge.knowledge.choices.Proximity",
        "DeskChannelEnum": "carebridge.complaints.choices.Channel",
        "DeskFeedbackKindEnum": "carebridge.complaints.choices.FeedbackKind",
        "DeskHcatDomainEnum": "carebridge.complaints.choices.HcatDomain",
        "DeskCategoryEnum": "carebridge.complaints.choices.Category",
        "DeskComplaintStatusEnum": "carebridge.complaints.choices.ComplaintStatus",
        "DeskDeadlineKindEnum": "carebridge.complaints.choices.DeadlineKind",
        "DeskRecoveryKindEnum": "carebridge.complaints.choices.RecoveryKind",
        "DeskRootCauseEnum": "carebridge.complaints.choices.RootCause",
        "InquiryChannelEnum": "carebridge.frontdesk.choices.InquiryChannel",
        "InquiryCategoryEnum": "carebridge.frontdesk.choices.InquiryCategory",
        "DeskMobilityEnum": "carebridge.frontdesk.choices.Mobility",
        "EscortStatusEnum": "carebridge.frontdesk.choices.EscortStatus",
        "HandoverStatusEnum": "carebridge.frontdesk.choices.HandoverStatus",
        "DeskHandoverItemKindEnum": "carebridge.frontdesk.choices.HandoverItemKind",
        "FollowupMeetingKindEnum": "carebridge.followup.choices.MeetingKind",
        "SurveysQualitativeKindEnum": "carebridge.surveys.models.qualitative.SessionKind",
        "FollowupPlanStatusEnum": "carebridge.followup.choices.PlanStatus",
        "FollowupTouchpointKindEnum": "carebridge.followup.choices.TouchpointKind",
        "FollowupTouchpointStatusEnum": "carebridge.followup.choices.TouchpointStatus",
        "FollowupTierCodeEnum": "carebridge.followup.choices.TierCode",
        "FollowupMedicationFlagEnum": "carebridge.followup.choices.MedicationFlag",
        "FollowupOwnerRuleEnum": "carebridge.followup.choices.OwnerRule",
        "FollowupAnchorEnum": "carebridge.followup.choices.Anchor",
        "FollowupMidStayTriggerEnum": "carebridge.followup.choices.MidStayTrigger",
        "FollowupEscalationStepEnum": "carebridge.followup.choices.EscalationStep",
        "FollowupContactChannelEnum": "carebridge.followup.choices.ContactChannel",
        "FollowupCallOutcomeEnum": "carebridge.followup.choices.CallOutcome",
        "FollowupNoConsentRouteEnum": "carebridge.followup.choices.NoConsentRoute",
        "FollowupMessageChannelEnum": "carebridge.followup.choices.MessageChannel",
        "FollowupIssueKindEnum": "carebridge.followup.choices.IssueKind",
        "FollowupIssueStatusEnum": "carebridge.followup.choices.IssueStatus",
        "FollowupTelephonyStateEnum": "carebridge.followup.choices.TelephonyState",
        "FollowupScriptTopicEnum": "carebridge.followup.choices.ScriptTopic",
        "SurveyItemTypeEnum": "carebridge.surveys.choices.ItemType",
        "SurveyInstrumentKindEnum": "carebridge.surveys.choices.InstrumentKind",
        "SurveyVersionStatusEnum": "carebridge.surveys.choices.VersionStatus",
        "SurveyPopulationKindEnum": "carebridge.surveys.choices.PopulationKind",
        "SurveySamplingMethodEnum": "carebridge.surveys.choices.SamplingMethod",
        "SurveyWaveStatusEnum": "carebridge.surveys.choices.WaveStatus",
        "SurveyChannelEnum": "carebridge.surveys.choices.Channel",
        "SurveyInvitationStatusEnum": "carebridge.surveys.choices.InvitationStatus",
        "SurveyExclusionReasonEnum": "carebridge.surveys.choices.ExclusionReason",
        "SurveyResponseModeEnum": "carebridge.surveys.choices.ResponseMode",
        "SurveyMessageStatusEnum": "carebridge.surveys.choices.MessageStatus",
        "SurveyMessageKindEnum": "carebridge.surveys.choices.MessageKind",
        "SurveyTriggerKindEnum": "carebridge.surveys.choices.TriggerKind",
        "InsightsRunStatusEnum": "carebridge.insights.choices.RunStatus",
        "InsightsRunKindEnum": "carebridge.insights.choices.RunKind",
        "SurveyWeightLevelEnum": "carebridge.surveys.api.serializers.instruments.WEIGHT_LEVELS",
        "CheckupSexScopeEnum": "carebridge.checkup.choices.SexScope",
        "CriticalSeverityEnum": "carebridge.critical.choices.Severity",
        "DeskSeverityEnum": "carebridge.complaints.choices.Severity",
        "CriticalRuleOperatorEnum": "carebridge.critical.choices.RuleOperator",
        "CriticalNotificationStatusEnum": "carebridge.critical.choices.NotificationStatus",
        "CriticalOutcomeEnum": "carebridge.critical.choices.Outcome",
        "CriticalLadderStepEnum": "carebridge.critical.choices.LadderStep",
    },
}

# --- Logging: identifiers are masked in every log line ---------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask": {"()": "carebridge.core.logging.MaskSensitiveFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask"], "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Request lines carry query strings (searches by name, ID, phone): through the masking handler.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- CareBridge -----------------------------------------------------------------------------------
CAREBRIDGE: dict[str, Any] = {
    # Two registry records are proposed as duplicates above this name similarity (0..1).
    "DUPLICATE_NAME_SIMILARITY": env_float(
        "CAREBRIDGE_DUPLICATE_NAME_SIMILARITY", 0.5, minimum=0.0, maximum=1.0
    ),
    # Largest complaint attachment accepted (photos, scanned letters, recordings).
    "COMPLAINT_ATTACHMENT_MAX_BYTES": env_int("CAREBRIDGE_ATTACHMENT_MAX_MB", 10, minimum=1) * 1024 * 1024,
    # The SMS / WeChat gateway (carebridge.core.messaging): file (default), console or http.
    "SMS": {
        "BACKEND": env_choice("CAREBRIDGE_SMS_BACKEND", "file", ("file", "console", "http")),
        "FILE_DIR": env_str("CAREBRIDGE_SMS_FILE_DIR", str(VAR_DIR / "outbox")),
        "HTTP_URL": env_str("CAREBRIDGE_SMS_HTTP_URL", ""),
        "HTTP_TOKEN": env_secret("CAREBRIDGE_SMS_HTTP_TOKEN", ""),
        "HTTP_TIMEOUT": env_float("CAREBRIDGE_SMS_HTTP_TIMEOUT", 10.0, minimum=0.1),
    },
    # The public survey links printed in SMS and on QR sheets.
    "PUBLIC_BASE_URL": env_str("CAREBRIDGE_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
    # Shared secret of the telephony webhook (header X-Telephony-Secret); empty refuses every event.
    "TELEPHONY_WEBHOOK_SECRET": env_secret("TELEPHONY_WEBHOOK_SECRET", ""),
    # Public survey pages: requests per minute (per address, per token); 429 beyond.
    "SURVEY_RATE_LIMITS": {
        "post_per_ip": env_int("CAREBRIDGE_SURVEY_POSTS_PER_IP", 30, minimum=1),
        "post_per_token": env_int("CAREBRIDGE_SURVEY_POSTS_PER_TOKEN", 20, minimum=1),
        "get_per_ip": env_int("CAREBRIDGE_SURVEY_READS_PER_IP", 120, minimum=1),
    },
}

# --- interfaces (HL7 v2 over MLLP, FHIR R4) ---------------------------------------------------------
# The MLLP listener binds to the loopback interface unless told otherwise (hospital IT opens it on purpose).
INTEROP_MLLP_HOST = env_str("INTEROP_MLLP_HOST", "127.0.0.1")
INTEROP_MLLP_PORT = env_int("INTEROP_MLLP_PORT", 2575, minimum=1)
# Accepted messages are kept this many days (failed ones until replayed or removed by hand).
INTEROP_RETENTION_DAYS = env_int("INTEROP_RETENTION_DAYS", 365, minimum=1)
