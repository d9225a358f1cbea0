"""Scope checks declared on fields; failures carry the contract's codes.

Root fields name their scope with `permission_classes`. Every field with a resolver on an object
type is declared with `schema.relations.batched` (a related object, a list, a page, an
aggregate) or, when it reads nothing through a batch reader (a download URL), with `relation`:
it reads beyond the object it sits on, so it needs `read` however that object was reached — a
query, a mutation's result or a subscription. tests/api/test_hardening_scopes.py fails on one
that is not.
"""

from collections.abc import Callable
from typing import Any, ClassVar

import strawberry
from strawberry.permission import BasePermission

from resolvers.context import Info


class _Scope(BasePermission):
    scope: ClassVar[str]

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        # Raising the domain error (not returning False) keeps UNAUTHENTICATED vs FORBIDDEN apart.
        info.context.require(self.scope)
        return True


class CanRead(_Scope):
    scope = "read"


class CanWrite(_Scope):
    scope = "write"


class CanUseJobs(_Scope):
    scope = "jobs"


def relation(resolver: Callable[..., Any] | None = None, *, description: str | None = None) -> Any:
    """`strawberry.field` for a resolver on an object type: reading it needs the `read` scope.

    Use as `@relation` or `@relation(description=...)`.
    """
    field = strawberry.field(description=description, permission_classes=[CanRead])
    return field if resolver is None else field(resolver)
