-- PostGraphile's view of the benchmark database, applied by `python -m bench.reads` to its own
-- scratch database only (never a migration of Storygraph's): one schema, exposed to PostGraphile
-- next to `public`, holding what Storygraph computes in code.
CREATE SCHEMA postgraphile_bench;

-- The caller, from the verified session token (server.mjs puts its `sub` into the transaction
-- setting jwt.claims.user_id). Every document starts here, so PostgreSQL filters by owner.
CREATE FUNCTION postgraphile_bench.viewer() RETURNS public.users
LANGUAGE sql STABLE AS $$
    SELECT * FROM public.users
    WHERE id = nullif(current_setting('jwt.claims.user_id', true), '')::uuid
$$;
COMMENT ON FUNCTION postgraphile_bench.viewer() IS E'@name viewer';

-- Project.storyboardCount and Project.progress (computed columns).
CREATE FUNCTION postgraphile_bench.projects_storyboard_count(p public.projects) RETURNS int
LANGUAGE sql STABLE AS $$
    SELECT count(*)::int FROM public.storyboards WHERE project_id = p.id
$$;

CREATE TYPE postgraphile_bench.project_progress AS (
    total_tasks int,
    completed_tasks int,
    ratio double precision
);
COMMENT ON COLUMN postgraphile_bench.project_progress.total_tasks IS E'@notNull';
COMMENT ON COLUMN postgraphile_bench.project_progress.completed_tasks IS E'@notNull';
COMMENT ON COLUMN postgraphile_bench.project_progress.ratio IS E'@notNull';

CREATE FUNCTION postgraphile_bench.projects_progress(p public.projects)
RETURNS postgraphile_bench.project_progress
LANGUAGE sql STABLE AS $$
    SELECT count(*)::int,
           (count(*) FILTER (WHERE t.completed))::int,
           CASE WHEN count(*) = 0 THEN 0.0::double precision
                ELSE (count(*) FILTER (WHERE t.completed))::double precision / count(*) END
    FROM public.storyboards b
    JOIN public.scenes s ON s.storyboard_id = b.id
    JOIN public.scene_tasks t ON t.scene_id = s.id
    WHERE b.project_id = p.id
$$;

-- Tasks in TaskType order (SCRIPT_WRITTEN, SCENE_FILMED, AUDIO_RECORDED, EDITED), as Storygraph
-- orders them: a sortable computed column, `orderBy: POSITION_ASC`.
CREATE FUNCTION postgraphile_bench.scene_tasks_position(t public.scene_tasks) RETURNS int
LANGUAGE sql IMMUTABLE AS $$
    SELECT array_position(
        ARRAY['SCRIPT_WRITTEN', 'SCENE_FILMED', 'AUDIO_RECORDED', 'EDITED']::text[],
        t.task_type::text
    )
$$;
COMMENT ON FUNCTION postgraphile_bench.scene_tasks_position(public.scene_tasks) IS E'@behavior +orderBy';
