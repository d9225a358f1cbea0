"""Per-request DataLoaders over batch readers: one statement per batch, never one per object.

A batch reader is `(ctx, parent_ids, *, columns, **args)` returning one result per id (rows, a
page of rows, or a value). Every parent asking a field of the same reader with the same
arguments in one request shares one loader, so one call; never shared across requests.
"""

from collections.abc import Awaitable, Callable, Hashable
from typing import TYPE_CHECKING, Any

from strawberry.dataloader import DataLoader

if TYPE_CHECKING:
    from resolvers.context import Context

Reader = Callable[..., Awaitable[list[Any]]]


Index = tuple[Reader, tuple[tuple[str, Any], ...]]


class Loaders:
    def __init__(self) -> None:
        self._loaders: dict[Index, DataLoader[Any, Any]] = {}
        self._primed: dict[Index, dict[Hashable, Callable[[], Any]]] = {}

    def _loader(self, ctx: "Context", reader: Reader, args: dict[str, Any]) -> DataLoader[Any, Any]:
        index = (reader, tuple(sorted(args.items())))
        loader = self._loaders.get(index)
        if loader is None:

            async def batch(keys: list[Hashable]) -> list[Any]:
                return await reader(ctx, list(keys), columns=None, **args)

            loader = self._loaders[index] = DataLoader(load_fn=batch)
            for key, value in self._primed.pop(index, {}).items():
                loader.prime(key, value())
        return loader

    async def load(self, ctx: "Context", reader: Reader, key: Hashable, **args: Any) -> Any:
        """`reader`'s result for the parent `key`, batched with the other parents' calls."""
        return await self._loader(ctx, reader, args).load(key)

    def prime(self, reader: Reader, key: Hashable, value: Callable[[], Any]) -> None:
        """`value()` is what `reader` (without arguments) returns for `key`: should the request
        ask, it is not read again."""
        self._primed.setdefault((reader, ()), {})[key] = value
