"""Accounts API: bearer tokens for the subscriber's other API calls.

Sign-up and ``/me`` combine the account with billing's card, so the panel serves them.
"""

from ninja import Router

from hostpact.accounts import auth, services
from hostpact.accounts.schemas import TokenIn, TokenOut
from hostpact.core.http import client_ip
from hostpact.core.problems import Problem, problem_response, problem_responses

router = Router(tags=["accounts"])


def _locked(exc: auth.LockedOut):
    response = problem_response(Problem(429, "Too many failed attempts", exc.message(),
                                        code="locked_out"))
    response["Retry-After"] = str(exc.retry_after)
    return response


BAD_LOGIN = Problem(401, "Not authenticated", "The email and password do not match an account.",
                    code="invalid_credentials")


@router.post("/auth/token", response={200: TokenOut}, auth=None, openapi_extra=problem_responses(
    {401: "The email, password or code is wrong (`code: invalid_credentials`), or the "
          "account uses two-factor and `otp` is missing (`code: otp_required`).",
     410: "The account is being erased (`code: erasure_started`): no new token is issued.",
     429: "Too many failed attempts for this account or address (`code: locked_out`)."},
    headers={401: {"WWW-Authenticate": "The bearer challenge (RFC 6750)."},
             429: {"Retry-After": "Seconds until signing in is possible again."}}))
def token(request, payload: TokenIn):
    """Exchange email, password (and a TOTP or backup code with two-factor) for a bearer token.

    Failures count toward the same lockout as the login page.
    """
    attempt = auth.attempt_for(client_ip(request), payload.email)
    try:
        user = auth.check_password(request, attempt, payload.email, payload.password)
        if services.has_two_factor(user):
            if not payload.otp:
                raise Problem(401, "Second factor required", "This account uses two-factor "
                              "authentication: send the code as \"otp\".", code="otp_required",
                              errors={"otp": ["Enter the code from your authenticator app."]})
            auth.check_second_factor(user, attempt, payload.otp)
    except auth.LockedOut as exc:
        return _locked(exc)
    except auth.BadCredentials:
        raise BAD_LOGIN
    auth.clear_account_failures(attempt)
    raw, row = services.issue_api_token(user)  # SubjectErased: 410, by the API's handler
    return {"token": raw, "expires_at": row.expires_at}
