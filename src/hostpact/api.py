"""The REST API at /api/v1/: one NinjaAPI, a router per app, errors as RFC 9457 problems.

Bodies are JSON and only JSON (a form or text body is 415: a browser posts those to another
site without asking it first). The OpenAPI document declares, beside what each operation says
it answers, the problems every operation of its kind can answer (401 where it needs
credentials, 400/413/415 where it reads a body, ...), so no status goes undeclared.
"""

import json

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.security import SessionAuth

from hostpact.accounts.auth import api_auth
from hostpact.core.problems import (
    PROBLEM_REF,
    Problem,
    ProblemDetails,
    problem_response,
    problem_responses,
    status_problem,
    validation_errors,
)
from hostpact.privacy.rights.guard import SubjectErased, erasure_started

JSON = "application/json"
CHALLENGE = 'Bearer realm="hostpact"'
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _is_json(media_type: str) -> bool:
    kind, _, subtype = media_type.partition("/")
    return media_type == JSON or (kind == "application" and subtype.endswith("+json"))


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


class JsonBodies(Parser):
    """Read a body as JSON (UTF-8) only when its ``Content-Type`` says it is JSON."""

    def parse_body(self, request: HttpRequest):
        media_type = request.content_type.lower()
        charset = request.content_params.get("charset", "utf-8").lower()
        if not _is_json(media_type) or charset not in ("utf-8", "utf8"):
            accept = "Accept-Patch" if request.method == "PATCH" else "Accept-Post"
            raise Problem(415, "Unsupported media type",
                          f"Send the body as {JSON} (UTF-8); this one is "
                          f"{media_type or 'without a Content-Type'}.", headers={accept: JSON})
        try:
            return json.loads(request.body.decode("utf-8"), parse_constant=_refuse_constant)
        except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise Problem(400, "Invalid request", "The body is not valid JSON.",
                          errors={"body": [f"Not valid JSON (UTF-8): {exc}."]})


def implied_problems(operation) -> dict[int, str]:
    """The problems an operation can answer because of what it is, whatever its handler does."""
    sources = {model.__ninja_param_source__ for model in operation.models}
    session = any(isinstance(a, SessionAuth) for a in operation.auth_callbacks)
    write = bool(set(operation.methods) - SAFE_METHODS)
    out = {}
    if sources & {"body", "query"}:
        out[400] = "A field is not valid: `errors` names each field with its messages."
    if operation.auth_callbacks:
        out[401] = "No valid session or bearer token (`WWW-Authenticate: Bearer`)."
    if write and session:
        out[403] = ("Signed in by the session cookie without a valid CSRF token "
                    "(`code: csrf_failed`).")
    if "body" in sources or (write and session):
        out[413] = "The body is larger than the server accepts."
    if "body" in sources:
        out[415] = f"The body is not `{JSON}` (UTF-8)."
    return out


class ProblemsDocument(OpenAPISchema):
    """Ninja's OpenAPI document, with each operation's implied problems and the Problem body."""

    def operation_details(self, operation):
        details = super().operation_details(operation)
        implied = problem_responses(
            implied_problems(operation),
            headers={401: {"WWW-Authenticate": "The bearer challenge (RFC 6750)."},
                     415: {"Accept-Post": f"`{JSON}`, on a POST.",
                           "Accept-Patch": f"`{JSON}`, on a PATCH."}})["responses"]
        responses = details["responses"]
        for status, spec in implied.items():
            if status not in responses:
                responses[status] = spec
                continue
            own = responses[status]  # the operation said why too: both reasons hold
            own["description"] = f"{own['description']} Also: {spec['description']}"
            if "headers" in spec:
                own["headers"] = {**spec["headers"], **own.get("headers", {})}
        details["responses"] = dict(sorted(responses.items()))
        return details

    def get_components(self):
        components = super().get_components()
        components["schemas"][PROBLEM_REF.rsplit("/", 1)[1]] = ProblemDetails.model_json_schema()
        return components


class HostpactAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return ProblemsDocument(self, path_prefix)


# Every operation needs a subscriber (bearer token or session) unless it says ``auth=None``.
api = HostpactAPI(title="hostpact API", version="1", urls_namespace="api", auth=api_auth,
                  parser=JsonBodies(), description="Subscriber self-service API of hostpact.")


def _challenge(request: HttpRequest) -> str:
    """RFC 6750's challenge: ``invalid_token`` when a bearer token was sent and refused."""
    sent = request.headers.get("Authorization", "")
    if sent.lower().startswith("bearer ") and sent[7:].strip():
        return f'{CHALLENGE}, error="invalid_token"'
    return CHALLENGE


def _answer(request: HttpRequest, problem: Problem):
    response = problem_response(problem)
    if problem.status == 401 and not response.has_header("WWW-Authenticate"):
        response["WWW-Authenticate"] = _challenge(request)  # RFC 9110: every 401 has one
    return response


@api.exception_handler(Problem)
def _problem(request: HttpRequest, exc: Problem):
    return _answer(request, exc)


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError):
    return _answer(request, Problem(400, "Invalid request", "Some fields are not valid.",
                                    errors=validation_errors(exc.errors)))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError):
    return _answer(request, Problem(401, "Not authenticated", "Log in or send a bearer token."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError):
    if isinstance(exc.__cause__, Problem):  # ninja wraps the parser's refusal in its own 400
        return _answer(request, exc.__cause__)
    return _answer(request, Problem(exc.status_code, str(exc.message), str(exc.message)))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404):
    return _answer(request, status_problem(404))


@api.exception_handler(SubjectErased)
def _erased(request: HttpRequest, exc: SubjectErased):
    return _answer(request, erasure_started())  # whichever write service refused


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied):
    return _answer(request, status_problem(403, str(exc) or ""))


@api.exception_handler(SuspiciousOperation)
def _suspicious(request: HttpRequest, exc: SuspiciousOperation):
    if isinstance(exc, RequestDataTooBig):
        return _answer(request, status_problem(413, "The body is larger than the server "
                                                    "accepts."))
    return _answer(request, status_problem(400, "The request is not valid."))


def _add_routers() -> None:
    from hostpact.accounts.api import router as accounts_router
    from hostpact.billing.api import router as billing_router
    from hostpact.domains.api import router as domains_router
    from hostpact.panel.api import router as panel_router
    from hostpact.privacy.disclosures.api import router as disclosures_router
    from hostpact.privacy.policy.api import router as policy_router
    from hostpact.privacy.rights.api import router as rights_router
    from hostpact.privacy.subject_requests.api import router as requests_router
    from hostpact.resellers.api import router as resellers_router
    from hostpact.storefront.api import router as storefront_router

    for router in (accounts_router, billing_router, domains_router, panel_router, rights_router,
                   disclosures_router, policy_router, requests_router, storefront_router,
                   resellers_router):
        api.add_router("/", router)


_add_routers()
