"""Production mode (C35): it refuses to start unsafely, and once configured it forces HTTPS.

These tests run the real ``hostpact`` in a subprocess with ``HOSTPACT_ENV=production``, so they
prove what ``settings.py`` does in production rather than what a test override would do.
"""

import json
import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hostpact.core.keyfiles import read_or_create_keyring

HOST = "hostpact.example"


def production_env(tmp_path: Path, **over) -> dict:
    data = tmp_path / "var"
    key_file = data / "keys" / "master.key"
    read_or_create_keyring(key_file)
    # A deployment's environment: none of the test run's own settings leak in.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HOSTPACT_", "DJANGO_")) and k != "DATABASE_URL"}
    env.update(HOSTPACT_ENV="production", HOSTPACT_DATA_DIR=str(data),
               HOSTPACT_SECRET_KEY=secrets.token_urlsafe(60), HOSTPACT_ALLOWED_HOSTS=HOST,
               HOSTPACT_MASTER_KEY_FILE=str(key_file),
               HOSTPACT_SMTP_URL="smtps://mail.example:465")
    env.update(over)
    return {k: v for k, v in env.items() if v is not None}


def hostpact(*args, env):
    return subprocess.run([sys.executable, "-m", "hostpact", *args], env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.commitment("C35")
def test_check_deploy_reports_no_issue_in_production(tmp_path):
    """With a secret, allowed hosts and a master key, ``check --deploy`` finds nothing."""
    result = hostpact("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (1 silenced)" in result.stdout


@pytest.mark.commitment("C35")
@pytest.mark.parametrize("missing, named", [
    ("HOSTPACT_SECRET_KEY", "HOSTPACT_SECRET_KEY"),
    ("HOSTPACT_ALLOWED_HOSTS", "HOSTPACT_ALLOWED_HOSTS"),
    ("HOSTPACT_MASTER_KEY_FILE", "HOSTPACT_MASTER_KEY"),
])
def test_production_refuses_to_start_without_a_requirement(tmp_path, missing, named):
    """Each missing requirement stops every command with a non-zero exit naming it."""
    result = hostpact("check", env=production_env(tmp_path, **{missing: None}))
    assert result.returncode != 0
    assert "refuses to start in production" in result.stderr and named in result.stderr


@pytest.mark.commitment("C35")
@pytest.mark.parametrize("over, named", [
    ({"HOSTPACT_SECRET_KEY": "django-insecure-" + "x" * 60}, "HOSTPACT_SECRET_KEY"),
    ({"HOSTPACT_MASTER_KEY": "too-short"}, "HOSTPACT_MASTER_KEY"),
])
def test_production_refuses_weak_secrets(tmp_path, over, named):
    """A placeholder secret key or a master key that is not 32 bytes is refused too."""
    result = hostpact("check", env=production_env(tmp_path, **over))
    assert result.returncode != 0 and named in result.stderr


@pytest.mark.commitment("C35")
@pytest.mark.parametrize("url", [None, "smtp://mail.example:25",
                                 "smtp://user:secret@mail.example:587"])
def test_production_refuses_outgoing_mail_without_tls(tmp_path, url):
    """Mail carries names and addresses to the provider: plain ``smtp://`` (or no setting,
    which means the development catcher) stops every command, naming HOSTPACT_SMTP_URL."""
    result = hostpact("check", env=production_env(tmp_path, HOSTPACT_SMTP_URL=url))
    assert result.returncode != 0
    assert "refuses to start in production" in result.stderr
    assert "HOSTPACT_SMTP_URL" in result.stderr


@pytest.mark.commitment("C35")
@pytest.mark.parametrize("url", ["smtp+starttls://mail.example:587",
                                 "smtps://user:secret@mail.example:465"])
def test_production_accepts_mail_over_starttls_or_smtps(tmp_path, url):
    """STARTTLS and SMTPS both encrypt the way to the mail provider: production starts."""
    result = hostpact("check", env=production_env(tmp_path, HOSTPACT_SMTP_URL=url))
    assert result.returncode == 0, result.stdout + result.stderr


PROBE = textwrap.dedent("""
    import json, django
    django.setup()
    from django.conf import settings
    from django.test import Client
    c = Client(HTTP_HOST="@@HOST@@")
    plain = c.get("/healthz")
    secure = c.get("/admin/login/", secure=True)
    proxied = c.get("/admin/login/", HTTP_X_FORWARDED_PROTO="https")
    csrf = secure.cookies.get("csrftoken")
    print(json.dumps({
        "http_status": plain.status_code, "http_location": plain.get("Location", ""),
        "hsts": secure.get("Strict-Transport-Security", ""),
        "csrf_secure": bool(csrf and csrf["secure"]),
        "session_secure": settings.SESSION_COOKIE_SECURE,
        "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
        "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
        "proxied_status": proxied.status_code,
    }))
""").replace("@@HOST@@", HOST)


def probe(env) -> dict:
    env = {**env, "DJANGO_SETTINGS_MODULE": "hostpact.settings"}
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.commitment("C35")
def test_production_redirects_http_to_https_with_hsts_and_secure_cookies(tmp_path):
    """Plain http is redirected to https; https answers carry HSTS and Secure cookies."""
    seen = probe(production_env(tmp_path))
    assert seen["http_status"] == 301
    assert seen["http_location"] == f"https://{HOST}/healthz"
    assert "max-age=31536000" in seen["hsts"] and "includeSubDomains" in seen["hsts"]
    assert seen["csrf_secure"] is True
    assert seen["session_secure"] and seen["csrf_cookie_secure"] and seen["session_httponly"]
    # Without the proxy setting, a forwarded-proto header is not trusted: still redirected.
    assert seen["proxied_status"] == 301


@pytest.mark.commitment("C35")
def test_tls_terminated_in_front_is_trusted_only_when_configured(tmp_path):
    """With HOSTPACT_TRUST_PROXY_TLS=1 a request the proxy marks https is served, not looped."""
    seen = probe(production_env(tmp_path, HOSTPACT_TRUST_PROXY_TLS="1"))
    assert seen["proxied_status"] == 200
    assert seen["http_status"] == 301
