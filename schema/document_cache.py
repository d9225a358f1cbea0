"""The parse cache: documents by their text, bounded in bytes of memory, not in entries.

A parsed document costs far more than its text: graphql-core keeps every token and location, about
400-650 bytes per token (measured with tracemalloc on graphql-core 3.3), so 512 entries could
pin gigabytes. Each entry is charged its text plus `BYTES_PER_TOKEN` per token; the least
recently used leave until the total is under `max_bytes`, and a document that alone exceeds it is
not cached at all. What the identity caches (validations, read plans) keep hangs off these entries
(schema.identity_cache) and goes with them.
"""

from collections import OrderedDict

from graphql import DocumentNode

from schema import identity_cache

# Measured AST cost per token, with room for the validation and plan cached beside it.
BYTES_PER_TOKEN = 700
DEFAULT_MAX_BYTES = 32 * 1024 * 1024


def token_count(document: DocumentNode) -> int:
    """The tokens graphql-core kept for `document` (its location's linked list)."""
    count = 0
    token = document.loc.start_token if document.loc is not None else None
    while token is not None:
        count += 1
        token = token.next
    return count


class DocumentCache:
    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.size_bytes = 0
        # text -> (document, its charge in bytes, its tokens)
        self._entries: OrderedDict[str, tuple[DocumentNode, int, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, query: str, max_tokens: int) -> DocumentNode | None:
        """The cached document of `query`, if it has at most `max_tokens` tokens."""
        entry = self._entries.get(query)
        if entry is None or entry[2] > max_tokens:
            return None
        self._entries.move_to_end(query)
        return entry[0]

    def put(self, query: str, document: DocumentNode) -> None:
        tokens = token_count(document)
        cost = len(query.encode()) + BYTES_PER_TOKEN * tokens
        if cost > self.max_bytes or query in self._entries:
            return
        self._entries[query] = (document, cost, tokens)
        self.size_bytes += cost
        identity_cache.admit(document)
        while self.size_bytes > self.max_bytes:
            self._evict()

    def clear(self) -> None:
        while self._entries:
            self._evict()

    def cached_documents(self) -> list[DocumentNode]:
        return [document for document, _, _ in self._entries.values()]

    def _evict(self) -> None:
        _, (document, cost, _) = self._entries.popitem(last=False)
        self.size_bytes -= cost
        identity_cache.forget(document)


# One per process, like the schema whose documents it holds.
documents = DocumentCache()
