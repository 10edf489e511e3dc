"""RFC 9457 problem details for API errors."""

from django.http import JsonResponse


class Problem(Exception):
    """An API error answered as ``application/problem+json``."""

    def __init__(self, status: int, title: str, detail: str = "", *, code: str = "",
                 errors: dict[str, list[str]] | None = None):
        super().__init__(title)
        self.status, self.title, self.detail = status, title, detail
        self.code, self.errors = code, errors or {}


def problem_response(problem: Problem) -> JsonResponse:
    body = {"type": "about:blank", "status": problem.status, "title": problem.title,
            "detail": problem.detail or problem.title}
    if problem.code:
        body["code"] = problem.code
    if problem.errors:
        body["errors"] = problem.errors
    return JsonResponse(body, status=problem.status, content_type="application/problem+json")


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
