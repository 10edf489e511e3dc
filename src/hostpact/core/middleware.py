"""Answers under ``/api/`` keep to HTTP and RFC 9457, whoever wrote them.

The API's own errors are problems already, but some answers come from elsewhere: Django's
"no such path" page, the router's "method not allowed", an error page. An API client reads
``application/problem+json`` only, so those become problems with the same status and headers.
``HEAD`` is answered as ``GET`` without the body, as Django's class-based views do: the API's
routes name ``GET`` only. Pages outside ``/api/`` are left as they are.
"""

from hostpact.core.problems import PROBLEM_TYPE, problem_response, status_problem

API_PREFIX = "/api/"
METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _allowed(response) -> str:
    """The ``Allow`` header of a 405, with ``HEAD`` wherever ``GET`` is answered."""
    methods = {m.strip().upper() for m in response.get("Allow", "").split(",") if m.strip()}
    if "GET" in methods:
        methods.add("HEAD")
    order = {m: n for n, m in enumerate(METHOD_ORDER)}
    return ", ".join(sorted(methods, key=lambda m: (order.get(m, len(order)), m)))


def _as_problem(response, method: str) -> None:
    """Give ``response`` a problem body for its status, keeping its headers and cookies."""
    status = response.status_code
    detail = ""
    if status == 404:
        detail = "There is no API operation at this address."
    elif status == 405:
        response["Allow"] = _allowed(response)
        detail = f"This address does not answer {method}; it answers {response['Allow']}."
    response.content = problem_response(status_problem(status, detail)).content
    response["Content-Type"] = PROBLEM_TYPE
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))


class ApiStandardsMiddleware:
    """Make every error under ``/api/`` a problem, and answer ``HEAD`` wherever ``GET``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        method = request.method
        if method == "HEAD":
            request.method = "GET"
        response = self.get_response(request)
        if (response.status_code >= 400 and not response.streaming
                and response.get("Content-Type", "").split(";")[0].strip() != PROBLEM_TYPE):
            _as_problem(response, method)
        if method == "HEAD":
            if response.streaming:
                response.streaming_content = []
            else:
                response.content = b""  # Content-Length stays that of the GET (RFC 9110 9.3.2)
        return response
