"""What the fuzz tests share: JSON values a hostile client might send, and a way to run one
generated case on the test's event loop from the thread Hypothesis runs in, with a time bound
(the way tests/api/test_invariants.py drives its state machine)."""

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

T = TypeVar("T")
# A case that takes longer than this is a hang.
CASE_SECONDS = 10.0

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False)
    | st.text(max_size=40)
    | st.sampled_from(
        ["\x00", "a\x00b", "🎬" * 3, "9999-12-31T23:59:59-23:59", "render\n", "{", "Bearer x"]
    )
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def fuzz_settings(examples: int) -> settings:
    """Derandomized, so a failure reproduces; fixtures live for the whole run on purpose."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def run_on(loop: asyncio.AbstractEventLoop, coroutine: Coroutine[Any, Any, T]) -> T:
    """Run `coroutine` on `loop` (the test's) from Hypothesis's thread, within CASE_SECONDS."""
    future = asyncio.run_coroutine_threadsafe(coroutine, loop)
    return future.result(timeout=CASE_SECONDS)
