"""RFC 9457 problem details: the API's errors, and how its OpenAPI document declares them.

Every error under ``/api/`` is one of these bodies (``ProblemDetails``), answered as
``application/problem+json``; operations declare the statuses they answer with
``problem_responses`` so a client generated from the document knows each of them.
"""

from http import HTTPStatus

from django.http import JsonResponse
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

PROBLEM_TYPE = "application/problem+json"
PROBLEM_REF = "#/components/schemas/Problem"


class Problem(Exception):
    """An API error answered as ``application/problem+json``."""

    def __init__(self, status: int, title: str, detail: str = "", *, code: str = "",
                 errors: dict[str, list[str]] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(title)
        self.status, self.title, self.detail = status, title, detail
        self.code, self.errors = code, errors or {}
        self.headers = headers or {}


def _phrase(status: int) -> str | None:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return None


def problem_body(problem: Problem) -> dict:
    """The JSON body of ``problem``.

    Its type is ``about:blank``, so the title is the status's own phrase (RFC 9457 4.2.1); what
    went wrong is the detail, and ``code`` names it for programs.
    """
    body = {"type": "about:blank", "status": problem.status,
            "title": _phrase(problem.status) or problem.title,
            "detail": problem.detail or problem.title}
    if problem.code:
        body["code"] = problem.code
    if problem.errors:
        body["errors"] = problem.errors
    return body


def problem_response(problem: Problem) -> JsonResponse:
    response = JsonResponse(problem_body(problem), status=problem.status,
                            content_type=PROBLEM_TYPE)
    for name, value in problem.headers.items():
        response[name] = value
    return response


def status_problem(status: int, detail: str = "") -> Problem:
    """A problem that says no more than its status (``about:blank``: the title is the phrase)."""
    phrase = _phrase(status) or str(status)
    return Problem(status, phrase, detail or f"{phrase}.")


def validation_errors(errors: list[dict]) -> dict[str, list[str]]:
    """Turn pydantic/ninja error entries into ``{dotted.field: [message, ...]}``."""
    out: dict[str, list[str]] = {}
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "payload", "query")]
        name = ".".join(loc) or "body"
        out.setdefault(name, []).append(err.get("msg", "Invalid value."))
    return out


def form_errors(form, rename: dict[str, str] | None = None) -> dict[str, list[str]]:
    """A Django form's errors keyed by the API's field names."""
    rename = rename or {}
    return {rename.get(k, k if k != "__all__" else "body"): [str(m) for m in v]
            for k, v in form.errors.items()}


def _no_null_defaults(schema: dict) -> None:
    """Drop ``default: null`` beside ``type: string``: an unused member is absent, never null."""
    for prop in schema["properties"].values():
        prop.pop("default", None)


class ProblemDetails(BaseModel):
    """The body of every error under /api/ (RFC 9457), as the OpenAPI document declares it."""

    model_config = ConfigDict(extra="allow", title="Problem", json_schema_extra=_no_null_defaults)

    type: str = Field(description="A URI naming the kind of problem; `about:blank` when the "
                                  "status says it all.",
                      json_schema_extra={"format": "uri-reference"})
    title: str = Field(description="A short summary of the kind of problem.")
    status: int = Field(ge=400, le=599, description="The HTTP status of the answer.")
    detail: str = Field(description="What went wrong with this request, for a person.")
    code: str | SkipJsonSchema[None] = Field(
        default=None, pattern=r"^[a-z0-9_]+$",
        description="A stable reason a client may test, e.g. `email_taken`, `under_13`.")
    errors: dict[str, list[str]] | SkipJsonSchema[None] = Field(
        default=None, description="The fields that are not valid (dotted paths, `body` for "
                                  "the whole body), each with its messages.")


def problem_responses(declared: dict[int, str],
                      headers: dict[int, dict[str, str]] | None = None) -> dict:
    """The OpenAPI ``responses`` declaring each status as a problem, with why it is answered.

    ``headers`` names, per status, the response headers sent with it and what they mean.
    """
    headers = headers or {}
    responses = {}
    for status, why in declared.items():
        spec = {"description": why,
                "content": {PROBLEM_TYPE: {"schema": {"$ref": PROBLEM_REF}}}}
        if status in headers:
            spec["headers"] = {name: {"description": text, "schema": {"type": "string"}}
                               for name, text in headers[status].items()}
        responses[status] = spec
    return {"responses": responses}
