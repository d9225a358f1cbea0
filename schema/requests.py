"""The shape of a GraphQL request ({query, variables, operationName, extensions}), checked the
same way for HTTP bodies and WebSocket subscribe/start payloads."""

from cross_web import HTTPException

BODY_NOT_AN_OBJECT = "The request body must be a JSON object: {query, variables, operationName}."
# Member -> (accepted type, as the error message names it); null always means absent.
_MEMBERS: dict[str, tuple[type, str]] = {
    "query": (str, "a string"),
    "variables": (dict, "an object"),
    "operationName": (str, "a string"),
    "extensions": (dict, "an object"),
}


class BadRequest(HTTPException):
    """HTTP 400 naming the offending member (schema.context.GraphQLApp.run shapes it)."""

    def __init__(self, reason: str, *, field: str) -> None:
        super().__init__(400, reason)
        self.field = field


def request_problem(data: object) -> tuple[str, str] | None:
    """(message, field) of what is wrong with a request's members; None when nothing is."""
    if not isinstance(data, dict):
        return BODY_NOT_AN_OBJECT, "body"
    for name, (kind, described) in _MEMBERS.items():
        value = data.get(name)
        if value is not None and not isinstance(value, kind):
            return f"`{name}` must be {described}.", name
    return None


def check_request(data: object) -> None:
    if problem := request_problem(data):
        raise BadRequest(problem[0], field=problem[1])
