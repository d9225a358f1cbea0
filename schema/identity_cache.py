"""A small LRU cache keyed by object identity, for parsed documents and their operations.

Documents are parsed once per distinct text (schema.extensions.Documents), so a repeated
query arrives as the very same AST object: its validation and its read plan can be found by
`id()`, where hashing the AST (which graphql-core does node by node) would cost more than
the lookup saves. Each entry keeps its key object alive, so an id cannot be reused while the
entry exists.
"""

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class IdentityCache(Generic[K, V]):
    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[int, tuple[K, V]] = OrderedDict()

    def get(self, key: K, compute: Callable[[], V]) -> V:
        entry = self._entries.get(id(key))
        if entry is not None and entry[0] is key:
            self._entries.move_to_end(id(key))
            return entry[1]
        value = compute()
        self._entries[id(key)] = (key, value)
        if len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)
        return value
