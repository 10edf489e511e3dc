"""URLs of the accounts app: sign-up, login, password reset and the control panel."""

from django.urls import path

from hostpact.accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("signup/", views.signup, name="signup"),
    path("verify-email/<str:token>/", views.verify_email, name="verify-email"),
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.login_verify, name="login-verify"),
    path("logout/", views.logout_view, name="logout"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path("password-reset/<str:uidb64>/<str:token>/", views.password_reset_confirm,
         name="password-reset-confirm"),
    path("panel/", views.panel, name="panel"),
    path("panel/verify-email/", views.resend_verification, name="panel-resend-verification"),
    path("panel/information/", views.information, name="panel-information"),
    path("panel/information/contact/", views.edit_contact, name="panel-contact"),
    path("panel/information/email/", views.edit_email, name="panel-email"),
    path("panel/information/card/", views.edit_card, name="panel-card"),
    path("panel/security/", views.security, name="panel-security"),
    path("panel/security/password/", views.change_password, name="panel-password"),
    path("panel/security/two-factor/", views.two_factor_setup, name="panel-2fa-setup"),
    path("panel/security/two-factor/disable/", views.two_factor_disable,
         name="panel-2fa-disable"),
    path("panel/security/backup-codes/", views.backup_codes, name="panel-backup-codes"),
    path("panel/security/sessions/<int:pk>/sign-out/", views.session_sign_out,
         name="panel-session-sign-out"),
    path("panel/security/sessions/sign-out-others/", views.sessions_sign_out_others,
         name="panel-sessions-sign-out-others"),
]
