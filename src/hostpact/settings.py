"""Settings of hostpact, read from the environment with safe defaults for the embedded setup.

``HOSTPACT_ENV=production`` demands TLS, a real secret and a master key; see
``hostpact.core.production.require_production_settings`` and docs/configuration.md.
"""

import os
from pathlib import Path

import dj_database_url

from hostpact.core.keyfiles import read_or_create_secret
from hostpact.schedule import PERIODIC_TASKS  # noqa: F401 - the periodic tasks, a setting

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("HOSTPACT_DATA_DIR", BASE_DIR / "var")).resolve()
KEYS_DIR = DATA_DIR / "keys"
MAIL_DIR = DATA_DIR / "mail"

HOSTPACT_ENV = os.environ.get("HOSTPACT_ENV", "development")
PRODUCTION = HOSTPACT_ENV == "production"
DEBUG = os.environ.get("HOSTPACT_DEBUG", "0") == "1" and not PRODUCTION

if PRODUCTION:
    SECRET_KEY = os.environ.get("HOSTPACT_SECRET_KEY", "")
    ALLOWED_HOSTS = [h for h in os.environ.get("HOSTPACT_ALLOWED_HOSTS", "").split(",") if h]
else:
    SECRET_KEY = os.environ.get("HOSTPACT_SECRET_KEY") or read_or_create_secret(
        KEYS_DIR / "secret.key", 50
    )
    ALLOWED_HOSTS = [
        h for h in os.environ.get("HOSTPACT_ALLOWED_HOSTS",
                                 "127.0.0.1,localhost,testserver,.test,.example")
        .split(",") if h
    ]

MASTER_KEY = os.environ.get("HOSTPACT_MASTER_KEY", "")
MASTER_KEY_FILE = Path(os.environ.get("HOSTPACT_MASTER_KEY_FILE", KEYS_DIR / "master.key"))
INDEX_KEY_FILE = Path(os.environ.get("HOSTPACT_INDEX_KEY_FILE", KEYS_DIR / "index.key"))
AUDIT_KEY_FILE = Path(os.environ.get("HOSTPACT_AUDIT_KEY_FILE", KEYS_DIR / "audit.key"))
CLOCK_FILE = os.environ.get("HOSTPACT_CLOCK_FILE", "") if not PRODUCTION else ""

HTTP_PORT = int(os.environ.get("HOSTPACT_HTTP_PORT", "8000"))
WHOIS_PORT = int(os.environ.get("HOSTPACT_WHOIS_PORT", "4343"))
SMTP_PORT = int(os.environ.get("HOSTPACT_SMTP_PORT", "2525"))
SMTP_URL = os.environ.get("HOSTPACT_SMTP_URL", f"smtp://127.0.0.1:{SMTP_PORT}")
INBOUND_PORT = int(os.environ.get("HOSTPACT_INBOUND_PORT", "2526"))
SITE_URL = os.environ.get("HOSTPACT_SITE_URL", f"http://127.0.0.1:{HTTP_PORT}")
RDS_ALLOW = [a for a in os.environ.get("HOSTPACT_RDS_ALLOW", "").split(",") if a]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "hostpact.core",
    "hostpact.privacy",
    "hostpact.accounts",
    "hostpact.billing",
    "hostpact.domains",
    "hostpact.domains.complaints",
    "hostpact.consent",
    "hostpact.rds",
    "hostpact.analytics",
    "hostpact.referrals",
    "hostpact.marketing",
    "hostpact.campaigns",
    "hostpact.support",
    "hostpact.audiences",
    "hostpact.advertising",
    "hostpact.surveys",
    "hostpact.community",
    "hostpact.resellers",
    "hostpact.panel",
    "hostpact.storefront",
    "hostpact.privacy.rights",
    "hostpact.privacy.disclosures",
    "hostpact.privacy.policy",
    "hostpact.privacy.subject_requests",
]

MIDDLEWARE = [
    # Outermost, so it times every layer and sees the final status; it writes off the request.
    "hostpact.analytics.middleware.RequestLogMiddleware",
    "hostpact.core.middleware.ApiStandardsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before sessions and authentication: the host name picks the realm accounts are looked
    # up in, and the brand pages are rendered under.
    "hostpact.resellers.middleware.ResellerHostMiddleware",
    # Outside every middleware that sets a cookie (sessions, CSRF), so it sees them all.
    "hostpact.consent.middleware.ConsentMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hostpact.accounts.middleware.StaffTwoFactorMiddleware",
    "hostpact.analytics.middleware.VisitMiddleware",
]

ROOT_URLCONF = "hostpact.urls"
WSGI_APPLICATION = "hostpact.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "src" / "hostpact" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["hostpact.core.templatetags.links",
                         "hostpact.consent.templatetags.consent"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hostpact.consent.context.consent",
                "hostpact.core.branding.context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'hostpact.sqlite3'}"),
        # Persistent connections: reopening (and, for SQLite, re-running the PRAGMAs below)
        # on every request cost about a sixth of a panel request. The health check drops a
        # connection the server closed (PostgreSQL) before a request uses it.
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=5000; PRAGMA secure_delete=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory, so tests can scan the database's bytes for plain text.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TASK_STALE_SECONDS = int(os.environ.get("HOSTPACT_TASK_STALE_SECONDS", str(30 * 60)))
# How often a process checks whether a data key it cached was shredded elsewhere (erasure).
KEY_CACHE_SWEEP_SECONDS = float(os.environ.get("HOSTPACT_KEY_CACHE_SWEEP_SECONDS", "1"))
# Days after receipt a data-subject request taken by support must be answered.
DSR_DUE_DAYS = int(os.environ.get("HOSTPACT_DSR_DUE_DAYS", "30"))

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["hostpact.accounts.backends.EmailBackend"]
# The email's blind index is unique per realm, not overall (a reseller's customer and ours may
# share an address); the backend looks accounts up in the request's realm.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
# Wrong backup codes slow retries as django-otp's devices do (seconds, doubling per failure).
BACKUP_CODE_THROTTLE_FACTOR = 1
# Tests stop an erasure after this many steps to prove it resumes; None runs every step.
RIGHTS_ERASURE_FAIL_AFTER = None
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "panel:dashboard"
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour
EMAIL_VERIFY_MAX_AGE = 60 * 60 * 24 * 2  # two days
LOCKOUT_THRESHOLD = 5
LOCKOUT_WINDOW = 15 * 60
LOCKOUT_IP_THRESHOLD = 20
SIGNUP_RATE_PER_HOUR = int(os.environ.get("HOSTPACT_SIGNUP_RATE", "30"))
API_TOKEN_LIFETIME = 60 * 60 * 24  # one day

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_ENGINE = "hostpact.core.sessions"  # Django's db store, its read compiled once
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"  # policy 2.5, C15
X_FRAME_OPTIONS = "DENY"
if os.environ.get("HOSTPACT_TRUST_PROXY_TLS") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if PRODUCTION:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    STAFF_REQUIRE_2FA = True
else:
    STAFF_REQUIRE_2FA = os.environ.get("HOSTPACT_STAFF_REQUIRE_2FA", "0") == "1"

EMAIL_BACKEND = "hostpact.core.mail.SMTPURLBackend"
DEFAULT_FROM_EMAIL = os.environ.get("HOSTPACT_FROM_EMAIL", "hostpact <no-reply@hostpact.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

PAYMENT_GATEWAY = os.environ.get("HOSTPACT_PAYMENT_GATEWAY", "hostpact.billing.gateway.TestGateway")
# Sends the one-time codes of requests taken by phone; the default stores them as mail.
SMS_GATEWAY = os.environ.get("HOSTPACT_SMS_GATEWAY",
                             "hostpact.privacy.subject_requests.sms.FakeSmsGateway")
GST_RATE = "0.18"
CURRENCY = "INR"

# Domains (hostpact.domains): the TLDs the registry is authoritative for, and the registry
# connector (a dotted path; the default is the registry built into the platform).
DOMAIN_TLDS = [t.strip() for t in os.environ.get("HOSTPACT_DOMAIN_TLDS", "test,example")
               .split(",") if t.strip()]
DOMAIN_REGISTRY = os.environ.get("HOSTPACT_DOMAIN_REGISTRY",
                                 "hostpact.domains.registry.builtin.BuiltinRegistry")
# The name servers a domain bought in the storefront gets unless the buyer gives others, and
# how long a cart lives after its last change.
DOMAIN_DEFAULT_NAMESERVERS = [h.strip() for h in os.environ.get(
    "HOSTPACT_DOMAIN_DEFAULT_NAMESERVERS", "ns1.hostpact.test,ns2.hostpact.test").split(",")
    if h.strip()]
STOREFRONT_CART_DAYS = int(os.environ.get("HOSTPACT_STOREFRONT_CART_DAYS", "7"))
# The domain privacy service (policy 4.8): the contact the registry receives for every role
# of a domain with privacy on, instead of the customer's; and the complaints about such
# domains: business days (India) the customer has to answer, complaints per address and hour.
DOMAIN_PRIVACY_SERVICE = {
    "handle": os.environ.get("HOSTPACT_PRIVACY_SERVICE_HANDLE", "PRIVACY-HP"),
    "name": "Hostpact Domain Privacy Service",
    "organization": "hostpact",
    "email": os.environ.get("HOSTPACT_PRIVACY_SERVICE_EMAIL", "privacy@hostpact.test"),
    "phone": "+91.2012345678",
    "line1": "1 Example Road", "line2": "", "city": "Pune", "region": "Maharashtra",
    "postal_code": "411001", "country": "IN",
}
DOMAIN_COMPLAINT_ANSWER_DAYS = int(os.environ.get("HOSTPACT_DOMAIN_COMPLAINT_DAYS", "10"))
DOMAIN_COMPLAINT_RATE_PER_HOUR = int(os.environ.get("HOSTPACT_DOMAIN_COMPLAINT_RATE", "10"))

# The registrar (this platform) as the registration data directories and the escrow deposits
# name it. The IANA id 9995 is one of those ICANN keeps for tests; production sets its own.
REGISTRAR = {
    "name": os.environ.get("HOSTPACT_REGISTRAR_NAME", "Hostpact Registrar Pvt Ltd"),
    "iana_id": os.environ.get("HOSTPACT_REGISTRAR_IANA_ID", "9995"),
    "url": os.environ.get("HOSTPACT_REGISTRAR_URL", "https://www.hostpact.test/"),
    "whois_server": os.environ.get("HOSTPACT_REGISTRAR_WHOIS_SERVER", "whois.hostpact.test"),
    "abuse_email": os.environ.get("HOSTPACT_REGISTRAR_ABUSE_EMAIL", "abuse@hostpact.test"),
    "abuse_phone": os.environ.get("HOSTPACT_REGISTRAR_ABUSE_PHONE", "+91.2012345600"),
    "email": "registrar@hostpact.test", "phone": "+91.2012345601",
    "line1": "1 Example Road", "city": "Pune", "region": "Maharashtra",
    "postal_code": "411001", "country": "IN",
}
# WHOIS and RDAP (hostpact.rds): queries per address in a window (a token bucket per server
# process), the WHOIS server's limits, the search result limit, and how long query logs live.
RDS_RATE = int(os.environ.get("HOSTPACT_RDS_RATE", "100"))
RDS_RATE_WINDOW_SECONDS = int(os.environ.get("HOSTPACT_RDS_RATE_WINDOW", "600"))
RDS_WHOIS_MAX_CONNECTIONS = int(os.environ.get("HOSTPACT_WHOIS_MAX_CONNECTIONS", "256"))
RDS_WHOIS_READ_TIMEOUT = float(os.environ.get("HOSTPACT_WHOIS_READ_TIMEOUT", "10"))
RDS_SEARCH_LIMIT = int(os.environ.get("HOSTPACT_RDAP_SEARCH_LIMIT", "50"))
RDS_QUERY_LOG_DAYS = 30
RDS_CONTACT_FORM_RATE_PER_HOUR = int(os.environ.get("HOSTPACT_WHOIS_CONTACT_RATE", "5"))
# Registrar data escrow (hostpact.domains.escrow): where deposits are written, the GnuPG home
# holding the registrar's signing key and the agent's public key (demo pair made on first run).
ESCROW_DIR = Path(os.environ.get("HOSTPACT_ESCROW_DIR", DATA_DIR / "escrow"))
ESCROW_GNUPG_HOME = Path(os.environ.get("HOSTPACT_ESCROW_GNUPGHOME", KEYS_DIR / "gnupg"))
ESCROW_AGENT_KEY = os.environ.get("HOSTPACT_ESCROW_AGENT_KEY", "escrow@hostpact.test")
ESCROW_REGISTRAR_KEY = os.environ.get("HOSTPACT_ESCROW_REGISTRAR_KEY", "registrar@hostpact.test")

# The privacy policy (hostpact.privacy.policy): notice period of a material change, the legal
# department's contact shown on /policy/, and questions accepted per address and hour.
POLICY_NOTICE_DAYS = int(os.environ.get("HOSTPACT_POLICY_NOTICE_DAYS", "30"))
POLICY_CONTACT_EMAIL = os.environ.get("HOSTPACT_POLICY_CONTACT_EMAIL", "privacy@hostpact.test")
POLICY_POSTAL_ADDRESS = os.environ.get(
    "HOSTPACT_POLICY_POSTAL_ADDRESS",
    "Legal department, hostpact, 1 Example Road, Pune 411001, India")
POLICY_INQUIRY_RATE_PER_HOUR = int(os.environ.get("HOSTPACT_POLICY_INQUIRY_RATE", "10"))

# Cookies and consent (hostpact.consent, policy 2.2-2.3).
# An undeclared cookie is an error outside production (dropped and logged in it); the banner
# revision goes up when the banner's text changes, which asks every visitor again.
CONSENT_STRICT_COOKIES = not PRODUCTION
CONSENT_BANNER_REVISION = int(os.environ.get("HOSTPACT_CONSENT_BANNER_REVISION", "1"))
# Social widgets (hostpact.consent.social): loaded only after consent to their category.
CONSENT_SOCIAL_PROVIDERS = {
    "share": {
        "name": "Sharewave", "category": "functional", "origin": "https://share.example",
        "script": "https://share.example/widget.js",
        "collects": "your IP address and the address of this page",
        "cookies": [("sw_id", "Sharewave's visitor id, set on its own domain when its share "
                              "button loads.", 365 * 86400)],
    },
}

# Diagnostics and visit statistics (hostpact.analytics, policy 3.2).
# Request logs and visit counts are buffered and written by a thread of each process (off the
# request); the test suite turns the thread off and flushes by hand.
BATCHLOG_AUTOSTART = os.environ.get("HOSTPACT_BATCHLOG_AUTOSTART", "1") == "1"
# Off only to measure the request log's cost (bench); diagnostics need it on.
ANALYTICS_REQUEST_LOG = os.environ.get("HOSTPACT_ANALYTICS_REQUEST_LOG", "1") == "1"

# Banner rewards, affiliates and campaigns (hostpact.referrals, policy 2.3.2, 2.3.4).
# A reward or commission is pending this many days: a refund in that time claws it back.
REFERRAL_MATURITY_DAYS = int(os.environ.get("HOSTPACT_REFERRAL_MATURITY_DAYS", "30"))

# Mail (hostpact.core.mail, .dkim, .inbound): the platform's mail domain (support@, abuse@,
# compliance@, the VERP bounce and mailto-unsubscribe addresses), and the DKIM signing key.
MAIL_DOMAIN = os.environ.get("HOSTPACT_MAIL_DOMAIN", "hostpact.test")
# The platform's own brand (hostpact.core.branding); a reseller's host shows the reseller's.
BRAND_NAME = os.environ.get("HOSTPACT_BRAND_NAME", "hostpact")
# Resellers (hostpact.resellers, policy 10): how long a process trusts its map of reseller host
# names, and the grace after a customer's services or a relationship end before deletion.
RESELLER_HOSTS_TTL = float(os.environ.get("HOSTPACT_RESELLER_HOSTS_TTL", "10"))
RESELLER_GRACE_DAYS = int(os.environ.get("HOSTPACT_RESELLER_GRACE_DAYS", "30"))
DKIM_SELECTOR = os.environ.get("HOSTPACT_DKIM_SELECTOR", "hp1")
DKIM_KEY_FILE = Path(os.environ.get("HOSTPACT_DKIM_KEY_FILE", KEYS_DIR / "dkim.key"))
INBOUND_MAX_BYTES = int(os.environ.get("HOSTPACT_INBOUND_MAX_BYTES", str(25 * 1024 * 1024)))

# Subscriptions and campaigns (hostpact.marketing, hostpact.campaigns; policy 2.3.4, 5.2).
# Where the law asks for opt-in, the marketing lists start unsubscribed (ISO country codes).
MARKETING_OPT_IN_COUNTRIES = [c.strip().upper() for c in os.environ.get(
    "HOSTPACT_MARKETING_OPT_IN_COUNTRIES",
    "AT,BE,BG,HR,CY,CZ,DK,EE,FI,FR,DE,GR,HU,IE,IT,LV,LT,LU,MT,NL,PL,PT,RO,SK,SI,ES,SE,"
    "IS,LI,NO,GB").split(",") if c.strip()]
MARKETING_UNSUBSCRIBE_TOKEN_DAYS = int(os.environ.get("HOSTPACT_UNSUBSCRIBE_TOKEN_DAYS", "365"))
CAMPAIGN_RATE_PER_MINUTE = int(os.environ.get("HOSTPACT_CAMPAIGN_RATE_PER_MINUTE", "6000"))

# The support desk (hostpact.support, policy 3.3): attachments kept per message, and how long
# a closed ticket's contents are kept before the retention run anonymises them.
SUPPORT_ATTACHMENT_MAX_BYTES = int(os.environ.get("HOSTPACT_SUPPORT_ATTACHMENT_MAX_BYTES",
                                                  str(10 * 1024 * 1024)))
SUPPORT_RETENTION_DAYS = int(os.environ.get("HOSTPACT_SUPPORT_RETENTION_DAYS", str(2 * 365)))
# Messages the web contact form takes from one IP address an hour.
SUPPORT_CONTACT_RATE_PER_HOUR = int(os.environ.get("HOSTPACT_SUPPORT_CONTACT_RATE", "5"))
# Forum posts (threads and replies) one subscriber may write an hour.
COMMUNITY_POSTS_PER_HOUR = int(os.environ.get("HOSTPACT_COMMUNITY_POSTS_PER_HOUR", "20"))

LANGUAGE_CODE = "en-in"
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": "hostpact.core.logging.ScrubFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["scrub"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("HOSTPACT_LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}, "django.server": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50
