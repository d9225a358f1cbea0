"""A small LRU cache keyed by object identity, for parsed documents and their operations.

Documents are parsed once per distinct text (schema.document_cache), so a repeated query
arrives as the very same AST object: its validation and its read plan can be found by `id()`,
where hashing the AST (which graphql-core does node by node) would cost more than the lookup
saves. Each entry keeps its key object alive, so an id cannot be reused while the entry exists.

Only nodes of documents the parse cache holds are cached here (`admit`), and they leave every
identity cache when the parse cache lets their document go (`forget`): a document parsed for one
request (an anonymous caller's, one too large to cache) is never pinned by a validation or a plan,
and the parse cache's byte bound is the bound of what all of them keep alive.
"""

import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from graphql import DocumentNode, OperationDefinitionNode

K = TypeVar("K")
V = TypeVar("V")

# id(node) -> (node, the cached document it belongs to), for every admitted document and its
# operations. The parse cache holds the documents, so an admitted id is never reused.
_admitted: dict[int, tuple[object, DocumentNode]] = {}
_caches: "weakref.WeakSet[IdentityCache[object, object]]" = weakref.WeakSet()


def _nodes(document: DocumentNode) -> Iterator[object]:
    yield document
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            yield definition


def admit(document: DocumentNode) -> None:
    """Let the identity caches keep entries for `document` and its operations."""
    for node in _nodes(document):
        _admitted[id(node)] = (node, document)


def forget(document: DocumentNode) -> None:
    """Drop `document` and its operations from every identity cache."""
    for node in _nodes(document):
        entry = _admitted.get(id(node))
        if entry is not None and entry[0] is node:
            del _admitted[id(node)]
            for cache in _caches:
                cache.discard(node)


def owner_of(node: object) -> DocumentNode | None:
    """The cached document `node` belongs to; None when it was not admitted."""
    entry = _admitted.get(id(node))
    return entry[1] if entry is not None and entry[0] is node else None


def caches() -> list["IdentityCache[object, object]"]:
    return list(_caches)


class IdentityCache(Generic[K, V]):
    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[int, tuple[K, V]] = OrderedDict()
        _caches.add(self)  # type: ignore[arg-type]

    def get(self, key: K, compute: Callable[[], V]) -> V:
        entry = self._entries.get(id(key))
        if entry is not None and entry[0] is key:
            self._entries.move_to_end(id(key))
            return entry[1]
        value = compute()
        if owner_of(key) is None:
            return value  # not a cached document's: computed for this request only
        self._entries[id(key)] = (key, value)
        if len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)
        return value

    def peek(self, key: K) -> V | None:
        """The cached value of `key`, computing nothing (and not refreshing its place)."""
        entry = self._entries.get(id(key))
        return entry[1] if entry is not None and entry[0] is key else None

    def discard(self, key: K) -> None:
        entry = self._entries.get(id(key))
        if entry is not None and entry[0] is key:
            del self._entries[id(key)]

    def cached_keys(self) -> list[K]:
        return [key for key, _ in self._entries.values()]
