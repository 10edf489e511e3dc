"""The REST API at /api/v1/: one NinjaAPI, a router per app, errors as RFC 9457 problems."""

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from hostpact.accounts.auth import api_auth
from hostpact.core.problems import Problem, problem_response, validation_errors

# Every operation needs a subscriber (bearer token or session) unless it says ``auth=None``.
api = NinjaAPI(title="hostpact API", version="1", urls_namespace="api", auth=api_auth,
               description="Subscriber self-service API of hostpact.")


@api.exception_handler(Problem)
def _problem(request: HttpRequest, exc: Problem):
    return problem_response(exc)


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError):
    return problem_response(Problem(400, "Invalid request", "Some fields are not valid.",
                                    errors=validation_errors(exc.errors)))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError):
    return problem_response(Problem(401, "Not authenticated",
                                    "Log in or send a bearer token."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError):
    return problem_response(Problem(exc.status_code, str(exc.message), str(exc.message)))


def _add_routers() -> None:
    from hostpact.accounts.api import router as accounts_router
    from hostpact.billing.api import router as billing_router
    from hostpact.panel.api import router as panel_router
    from hostpact.privacy.disclosures.api import router as disclosures_router
    from hostpact.privacy.policy.api import router as policy_router
    from hostpact.privacy.rights.api import router as rights_router
    from hostpact.privacy.subject_requests.api import router as requests_router

    for router in (accounts_router, billing_router, panel_router, rights_router,
                   disclosures_router, policy_router, requests_router):
        api.add_router("/", router)


_add_routers()
