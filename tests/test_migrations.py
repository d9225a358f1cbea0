"""The aerich migrations build exactly the models' schema, and concurrent migrators take turns."""

import asyncio
import os
import re
import shutil
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from enum import Enum
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aerich import Command
from tortoise.context import TortoiseContext
from tortoise.fields.relational import ForeignKeyFieldInstance
from tortoise.indexes import Index

from models.fields import CheckedBigIntField, CheckedFloatField, CheckedIntField, EnumField
from services.db import tortoise_config
from services.migrate import APP, LOCK_KEY, MIGRATIONS_DIR, migrate
from services.search_index import SEARCHED, postgres_statements

POSTGRES = os.environ.get("TEST_DATABASE", "sqlite") == "postgres"
PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test")
REPO = Path(__file__).resolve().parent.parent
SUBPROCESS_TIMEOUT = 30.0

pytestmark = pytest.mark.skipif(not POSTGRES, reason="aerich migrations are PostgreSQL's")

Row = tuple[Any, ...]
ScratchDb = Callable[[], Awaitable[tuple[str, str]]]


@pytest.fixture
async def scratch_db() -> AsyncIterator[ScratchDb]:
    """Creates empty databases with unique names on demand; drops them all afterwards."""
    admin = await asyncpg.connect(PG_ADMIN_URL)
    names: list[str] = []
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgres://", 1)

    async def create() -> tuple[str, str]:
        name = f"storygraph_migr_{uuid.uuid4().hex[:12]}"
        await admin.execute(f'CREATE DATABASE "{name}"')
        names.append(name)
        return name, f"{base}/{name}"

    try:
        yield create
    finally:
        for name in names:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def version_files() -> list[str]:
    return sorted(p.name for p in (MIGRATIONS_DIR / APP).glob("[0-9]*_*.py"))


# --- introspection ------------------------------------------------------------------------------

TABLES = """
SELECT c.relname, obj_description(c.oid, 'pg_class')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'r'
"""
# Column order is left out on purpose: a column added by a later migration comes last, while
# generate_schemas follows declaration order; what matters is each column's definition.
COLUMNS = """
SELECT c.table_name, c.column_name, c.data_type, c.udt_name, c.character_maximum_length,
       c.numeric_precision, c.is_nullable, c.column_default,
       col_description(format('%I.%I', c.table_schema, c.table_name)::regclass, c.ordinal_position)
FROM information_schema.columns c
WHERE c.table_schema = 'public'
"""
CONSTRAINTS = """
SELECT t.relname, con.conname, con.contype::text, pg_get_constraintdef(con.oid)
FROM pg_constraint con
JOIN pg_class t ON t.oid = con.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = 'public'
"""
INDEXES = "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
SEQUENCES = """
SELECT sequence_name, data_type FROM information_schema.sequences WHERE sequence_schema = 'public'
"""


async def snapshot(url: str) -> dict[str, list[Row]]:
    """Every schema object of the public schema, names and definitions included, sorted."""
    conn = await asyncpg.connect(url)
    try:
        result: dict[str, list[Row]] = {}
        for key, sql in [
            ("tables", TABLES),
            ("columns", COLUMNS),
            ("constraints", CONSTRAINTS),
            ("indexes", INDEXES),
            ("sequences", SEQUENCES),
        ]:
            rows = [tuple(row) for row in await conn.fetch(sql)]
            if key in ("tables", "columns"):  # the comment comes last
                rows = [(*row[:-1], same_newlines(row[-1])) for row in rows]
            result[key] = sorted(rows, key=repr)
        return result
    finally:
        await conn.close()


def same_newlines(comment: str | None) -> str | None:
    """Enum columns' comments list one value per line. generate_schemas writes the line breaks
    as the two characters backslash-n; aerich's migration files put that SQL inside a non-raw
    Python string, which turns them into real line breaks. Only comments differ; compare them
    with one convention."""
    return comment.replace("\\n", "\n") if comment is not None else None


ON_DELETE = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}


async def structure(url: str) -> dict[str, set[Any]]:
    """The schema as name-free facts, to check against what the models declare."""
    conn = await asyncpg.connect(url)
    try:
        columns = await conn.fetch(
            "SELECT table_name, column_name, is_nullable FROM information_schema.columns "
            "WHERE table_schema = 'public'"
        )
        constraints = await conn.fetch(
            """
            SELECT t.relname AS tbl, con.contype::text, con.confdeltype::text, ft.relname AS ref,
                   pg_get_constraintdef(con.oid) AS def,
                   ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(num, pos)
                         JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num
                         ORDER BY k.pos) AS cols
            FROM pg_constraint con
            JOIN pg_class t ON t.oid = con.conrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            LEFT JOIN pg_class ft ON ft.oid = con.confrelid
            WHERE n.nspname = 'public'
            """
        )
        # Plain indexes only: those backing a PRIMARY KEY or UNIQUE constraint are counted there.
        indexes = await conn.fetch(
            """
            SELECT t.relname AS tbl, i.indisunique AS uniq,
                   ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(num, pos)
                         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num
                         ORDER BY k.pos) AS cols
            FROM pg_index i
            JOIN pg_class t ON t.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public'
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """
        )
    finally:
        await conn.close()
    facts: dict[str, set[Any]] = {
        "tables": {r["table_name"] for r in columns},
        "columns": {
            (r["table_name"], r["column_name"], r["is_nullable"] == "YES") for r in columns
        },
        "primary_keys": set(),
        "unique": set(),
        "foreign_keys": set(),
        "checks": set(),
        "indexes": {(r["tbl"], tuple(r["cols"]), r["uniq"]) for r in indexes},
    }
    for r in constraints:
        cols = tuple(r["cols"])
        match r["contype"]:
            case "p":
                facts["primary_keys"].add((r["tbl"], cols))
            case "u":
                facts["unique"].add((r["tbl"], cols))
            case "f":
                facts["foreign_keys"].add((r["tbl"], cols, r["ref"], ON_DELETE[r["confdeltype"]]))
            case "c":
                facts["checks"].add((r["tbl"], cols, check_rule(r["def"])))
            case other:
                raise AssertionError(f"unexpected constraint type {other!r}: {r['def']}")
    return facts


def check_rule(definition: str) -> tuple[str, ...]:
    """A CHECK as PostgreSQL prints it, reduced to ("in", values...) or ("range", min, max)."""
    number = r"\(?'?(-?[\d.]+)'?\)?(?:::(?:integer|bigint|double precision))?"
    if m := re.fullmatch(rf"CHECK \(\(\w+ >= {number}\)\)", definition):
        return ("range", m.group(1), "")
    if m := re.fullmatch(rf"CHECK \(\(\(\w+ >= {number}\) AND \(\w+ <= {number}\)\)\)", definition):
        return ("range", m.group(1), m.group(2))
    if "ANY" in definition:
        return ("in", *sorted(re.findall(r"'([^']*)'::", definition)))
    return ("unrecognised", definition)  # no model field declares it: reported as extra


def declared_structure(ctx: TortoiseContext) -> dict[str, set[Any]]:
    """What the Tortoise models declare, read from their metadata (not from any DDL)."""
    assert ctx.apps is not None
    facts: dict[str, set[Any]] = {
        key: set()
        for key in (
            "tables",
            "columns",
            "primary_keys",
            "unique",
            "foreign_keys",
            "checks",
            "indexes",
        )
    }
    for model in ctx.apps.get_models_iterable():
        meta = model._meta
        table = meta.db_table
        facts["tables"].add(table)
        column_of = meta.fields_db_projection
        for name, field in meta.fields_map.items():
            if isinstance(field, ForeignKeyFieldInstance):
                target = field.related_model._meta.db_table
                facts["foreign_keys"].add(
                    (table, (field.source_field,), target, str(field.on_delete))
                )
                continue
            if name not in column_of:  # backward relations have no column
                continue
            column = column_of[name]
            facts["columns"].add((table, column, field.null))
            if field.pk:
                facts["primary_keys"].add((table, (column,)))
            elif field.unique:
                facts["unique"].add((table, (column,)))
            elif field.index:
                facts["indexes"].add((table, (column,), False))
            if isinstance(field, EnumField):
                enum_type: type[Enum] = field.enum_type
                values = sorted(str(member.value) for member in enum_type)
                facts["checks"].add((table, (column,), ("in", *values)))
            elif isinstance(field, CheckedIntField | CheckedBigIntField | CheckedFloatField):
                maximum = getattr(field, "maximum", None)
                bounds = (str(field.minimum), "" if maximum is None else str(maximum))
                facts["checks"].add((table, (column,), ("range", *bounds)))
        for together in meta.unique_together:
            facts["unique"].add((table, tuple(column_of.get(f, f) for f in together)))
        for index in meta.indexes:
            names = index.fields if isinstance(index, Index) else index
            facts["indexes"].add((table, tuple(column_of.get(f, f) for f in names), False))
    return facts


async def add_search_columns(url: str, declared: dict[str, set[Any]]) -> None:
    """Full-text search's generated columns and GIN indexes are no Tortoise fields: what
    services.search_index declares is added to the generated database and to the facts, so the
    migration must build exactly those too."""
    conn = await asyncpg.connect(url)
    try:
        for statement in postgres_statements():
            await conn.execute(statement)
    finally:
        await conn.close()
    for searched in SEARCHED:
        declared["columns"].add((searched.table, "search_vector", True))
        declared["indexes"].add((searched.table, ("search_vector",), False))


def differences(
    actual: dict[str, Any], expected: dict[str, Any]
) -> dict[str, dict[str, list[Any]]]:
    """Per kind of object: what only the migrated database has, and what it lacks."""
    result = {}
    for key in expected:
        extra = sorted(set(actual[key]) - set(expected[key]), key=repr)
        missing = sorted(set(expected[key]) - set(actual[key]), key=repr)
        if extra or missing:
            result[key] = {"extra": extra, "missing": missing}
    return result


async def aerich_versions(url: str) -> list[str]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT version FROM aerich WHERE app = $1 ORDER BY id", APP)
        return [r["version"] for r in rows]
    finally:
        await conn.close()


# --- tests --------------------------------------------------------------------------------------


async def test_migrations_build_exactly_the_models_schema(
    scratch_db: ScratchDb, tmp_path: Path
) -> None:
    files = version_files()
    assert files, f"no migration in {MIGRATIONS_DIR / APP}"
    _, migrated_url = await scratch_db()
    _, generated_url = await scratch_db()

    assert await migrate(migrated_url) == files
    assert await aerich_versions(migrated_url) == files

    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(generated_url))
        await ctx.generate_schemas(safe=False)
        declared = declared_structure(ctx)
    await add_search_columns(generated_url, declared)

    # 1. Object for object, names and definitions included, the same as generate_schemas'.
    assert differences(await snapshot(migrated_url), await snapshot(generated_url)) == {}

    # 2. And what the models declare, read from their metadata, nothing more and nothing less.
    actual = await structure(migrated_url)
    assert differences(actual, declared) == {}
    # Everything cascades but an asset's job: deleting a job leaves the assets it produced.
    assert {fk[3] for fk in actual["foreign_keys"] if fk[:2] != ("assets", ("job_id",))} == {
        "CASCADE"
    }
    assert ("assets", ("job_id",), "jobs", "SET NULL") in actual["foreign_keys"]
    assert any(check[2][0] == "in" for check in actual["checks"])
    assert any(check[2][0] == "range" for check in actual["checks"])

    # 3. aerich finds nothing left to migrate. It runs on a copy of migrations/ so that, should it
    # find a difference, the file it writes never lands in the repository.
    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    async with TortoiseContext():
        command = Command(tortoise_config(migrated_url), app=APP, location=str(copy))
        try:
            await command.init()
            generated_file = await command.migrate(name="drift", no_input=True)
        finally:
            await command.aclose()
    left_behind = sorted(p.name for p in (copy / APP).glob("[0-9]*_*.py"))
    assert generated_file == "", (generated_file, (copy / APP / generated_file).read_text())
    assert left_behind == files
    assert version_files() == files


async def test_concurrent_migrators_take_turns(scratch_db: ScratchDb, tmp_path: Path) -> None:
    name, url = await scratch_db()
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "INFO", "PYTHONPATH": str(REPO)}
    # Hold the migration lock so all three processes are provably waiting on it at once; then
    # let go and watch them take turns. They run from another directory: the migrations folder
    # must be found relative to the code, not the CWD.
    holder = await asyncpg.connect(url)
    processes: list[asyncio.subprocess.Process] = []
    try:
        await holder.execute("SELECT pg_advisory_lock($1)", LOCK_KEY)
        for _ in range(3):
            processes.append(
                await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "services.migrate",
                    cwd=tmp_path,
                    env=env,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.PIPE,
                )
            )
        async with asyncio.timeout(SUBPROCESS_TIMEOUT):
            while await waiting_for_lock(holder, name) < 3:
                assert all(p.returncode is None for p in processes), "a migrator exited early"
                await asyncio.sleep(0.05)
        assert not await holder.fetchval("SELECT to_regclass('public.users') IS NOT NULL")
        await holder.execute("SELECT pg_advisory_unlock($1)", LOCK_KEY)
        async with asyncio.timeout(SUBPROCESS_TIMEOUT):
            outputs = [await p.communicate() for p in processes]
    finally:
        for p in processes:
            if p.returncode is None:
                p.kill()
                await p.wait()
        await holder.close()

    logs = [err.decode() for _, err in outputs]
    assert [p.returncode for p in processes] == [0, 0, 0], logs
    files = version_files()
    assert await aerich_versions(url) == files  # one row per migration: applied exactly once
    assert sum("Applied" in log for log in logs) == 1, logs
    assert sum("up to date" in log for log in logs) == 2, logs


async def waiting_for_lock(conn: asyncpg.Connection, database: str) -> int:
    """Sessions of other processes queued on the migration lock in `database`."""
    count: int = await conn.fetchval(
        """
        SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
        WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = $1
          AND l.classid = $2 AND l.objid = $3 AND l.objsubid = 1
        """,
        database,
        LOCK_KEY >> 32,
        LOCK_KEY & 0xFFFFFFFF,
    )
    return count
