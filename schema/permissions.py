"""Scope checks declared on root fields; failures carry the contract's codes."""

from typing import Any, ClassVar

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
