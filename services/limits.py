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
# Revisions kept per storyboard: past it the oldest USER revisions are pruned first.
MAX_REVISIONS = 1000
# Characters of one project; also the bound of a scene's cast (a cast is of the project's).
MAX_CHARACTERS = 500
# Scenes whose cast includes one character.
MAX_CHARACTER_SCENES = 1000
# Assets attached to one character.
MAX_CHARACTER_ASSETS = 200
# Keyframes of one scene.
MAX_KEYFRAMES = 100
# Assets attached to one keyframe (its image variations). Kept small: a storyboard's scenes times
# keyframes times assets must stay well under the query cost limit (schema/operation_guard.py).
MAX_KEYFRAME_ASSETS = 20
# Ids one `nodes` call takes (so objects it returns).
MAX_NODE_IDS = 100
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
# Webhooks of one user (Project.webhooks and User.webhooks return them whole), and the action
# patterns of one webhook.
MAX_WEBHOOKS = 20
MAX_WEBHOOK_EVENTS = 50
