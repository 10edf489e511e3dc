"""URLs of the accounts app: login, password reset, email verification, and
the panel's pages for contact data, email address and security."""

from django.urls import path

from hostpact.accounts.views import profile, security, signin

app_name = "accounts"
urlpatterns = [
    path("verify-email/<str:token>/", signin.verify_email, name="verify-email"),
    path("login/", signin.login_view, name="login"),
    path("login/verify/", signin.login_verify, name="login-verify"),
    path("logout/", signin.logout_view, name="logout"),
    path("password-reset/", signin.password_reset, name="password-reset"),
    path("password-reset/<str:uidb64>/<str:token>/", signin.password_reset_confirm,
         name="password-reset-confirm"),
    path("panel/verify-email/", signin.resend_verification, name="resend-verification"),
    path("panel/information/contact/", profile.edit_contact, name="contact"),
    path("panel/information/email/", profile.edit_email, name="email"),
    path("panel/security/", security.security, name="security"),
    path("panel/security/password/", security.change_password, name="password"),
    path("panel/security/two-factor/", security.two_factor_setup, name="two-factor"),
    path("panel/security/two-factor/disable/", security.two_factor_disable,
         name="two-factor-disable"),
    path("panel/security/backup-codes/", security.backup_codes, name="backup-codes"),
    path("panel/security/sessions/<int:pk>/sign-out/", security.session_sign_out,
         name="session-sign-out"),
    path("panel/security/sessions/sign-out-others/", security.sessions_sign_out_others,
         name="sign-out-others"),
]
