"""A standalone worker whose storyboard planning takes long, so a test can kill it mid-job.

Run as `python tests/faults/slow_worker.py` from the project root, configured like
`python -m services.worker` (DATABASE_URL, REDIS_URL, SECRET_KEY, JOB_LEASE_SECONDS, ...);
SLOW_PLAN_SECONDS (default 30) is how long `TemplateProvider.plan` sleeps before planning.
"""

import asyncio
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from services import generator, worker  # noqa: E402
from services.generator import GenerationRequest, StoryboardPlan  # noqa: E402

DELAY = float(os.environ.get("SLOW_PLAN_SECONDS", "30"))
_plan = generator.TemplateProvider.plan


async def slow_plan(self: generator.TemplateProvider, request: GenerationRequest) -> StoryboardPlan:
    print(f"slow_worker: planning, sleeping {DELAY} s first", flush=True)  # noqa: T201
    await asyncio.sleep(DELAY)
    return await _plan(self, request)


if __name__ == "__main__":
    generator.TemplateProvider.plan = slow_plan  # type: ignore[method-assign]
    asyncio.run(worker.main())
