"""Upper bounds on what one object can hold, for lists the API returns whole (not paged).

The query cost limit (schema/operation_guard.py) multiplies by these, so each is enforced where
the list grows: a write that would pass it is refused with BAD_USER_INPUT.
"""

# Scenes of a storyboard; with durations capped at a day, the total stays inside the INT column.
MAX_SCENES = 1000
# Assets attached to one scene.
MAX_SCENE_ASSETS = 200
# Active (unrevoked) API keys of one user.
MAX_API_KEYS = 100
# Events `Job.events` returns at once; later ones are read with `afterSeq`.
MAX_EVENTS = 1000
# Stages of one job (its declared plan, or those it reported).
MAX_JOB_STAGES = 50
# Assets a job produced (uploads naming its jobId).
MAX_JOB_ASSETS = 1000
# Source assets of one asset.
MAX_ASSET_SOURCES = 100
# Job kinds `jobStats` lists (by kind; narrow with its `kind` argument), and stage names per kind
# (the first plan's order, then by name).
MAX_STATS_KINDS = 100
MAX_STATS_STAGES = 100
