"""GraphQL over HTTP as its spec says: the response's media type, its status, GET's cache rules,
and automatic persisted queries (services.persisted_queries) resolved into a request's document.

`application/graphql-response+json` (asked for by `Accept`) answers a request error — a document
that does not parse or validate, variables that do not coerce, a request refused before it runs —
with a 4xx status and no `data`; `application/json`, the default, answers as it always has (200
with `data: null`), which is what existing clients expect. Either way a result that ran has
`data` and status 200.
"""

import dataclasses
from typing import Any

from cross_web import HTTPException
from strawberry.http import GraphQLRequestData

from schema.extensions import too_large
from schema.requests import BadRequest
from services import persisted_queries
from services.persisted_queries import PersistedQueries

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
# Authenticated answers are the caller's alone: no shared cache may keep them, and no cache may
# hand one caller's answer to another (Vary); anonymous ones hold nothing personal.
PRIVATE = "private, no-store"
ANONYMOUS = "public, max-age=60"
NOT_CACHED = "no-store"
VARY = "Accept, Authorization"


def response_media_type(accept: str | None) -> str:
    """`application/graphql-response+json` when `Accept` prefers it (or likes it as much as
    `application/json`), else `application/json`."""
    best: dict[str, float] = {}
    for part in (accept or "").split(","):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media = media.lower()
        best[media] = max(best.get(media, 0.0), quality)
    wanted = best.get(GRAPHQL_RESPONSE, 0.0)
    if wanted > 0 and wanted >= max(best.get(JSON, 0.0), best.get("application/*", 0.0)):
        return GRAPHQL_RESPONSE
    return JSON


def cache_control(*, authenticated: bool, succeeded: bool) -> str:
    if authenticated:
        return PRIVATE
    return ANONYMOUS if succeeded else NOT_CACHED


class MethodNotAllowed(HTTPException):
    """A mutation sent with GET: HTTP 405, `Allow: POST`."""

    def __init__(self) -> None:
        super().__init__(405, "Mutations are sent with POST, not GET.")


class PersistedQueryRefused(HTTPException):
    """Apollo's answers that a hash cannot be used, with the message and code its clients look
    for: PersistedQueryNotFound (send the document with it), PersistedQueryNotSupported (this
    version of the protocol)."""

    code = "PERSISTED_QUERY_NOT_FOUND"

    def __init__(self, message: str) -> None:
        super().__init__(400, message)


class PersistedQueryNotFound(PersistedQueryRefused):
    def __init__(self) -> None:
        super().__init__("PersistedQueryNotFound")


class PersistedQueryNotSupported(PersistedQueryRefused):
    code = "PERSISTED_QUERY_NOT_SUPPORTED"

    def __init__(self) -> None:
        super().__init__("PersistedQueryNotSupported")


async def with_persisted_query(
    data: GraphQLRequestData,
    store: PersistedQueries,
    *,
    may_register: bool,
    max_query_bytes: int,
) -> GraphQLRequestData:
    """`data` with the document its `extensions.persistedQuery` names.

    A hash sent with its document registers it (when `may_register`: authenticated callers
    only, so nobody fills the store without an account); a hash that is not the document's is
    refused (BAD_USER_INPUT, field `extensions`); a hash alone finds its document or
    PERSISTED_QUERY_NOT_FOUND.
    """
    persisted: Any = (data.extensions or {}).get("persistedQuery")
    if persisted is None:
        return data
    if not isinstance(persisted, dict):
        raise BadRequest("`extensions.persistedQuery` must be an object.", field="extensions")
    if persisted.get("version") != persisted_queries.VERSION:
        raise PersistedQueryNotSupported()
    sha = persisted.get("sha256Hash")
    if not isinstance(sha, str) or not persisted_queries.is_sha256(sha):
        raise BadRequest(
            "`extensions.persistedQuery.sha256Hash` must be 64 lowercase hex digits.",
            field="extensions",
        )
    if data.query is not None:
        if too_large(data.query, max_query_bytes):
            return data  # refused as any document this large is (schema.extensions)
        if persisted_queries.sha256_of(data.query) != sha:
            raise BadRequest(
                "`extensions.persistedQuery.sha256Hash` is not the SHA-256 of `query`.",
                field="extensions",
            )
        if may_register:
            await store.put(sha, data.query)
        return data
    document = await store.get(sha)
    if document is None:
        raise PersistedQueryNotFound()
    return dataclasses.replace(data, query=document)
