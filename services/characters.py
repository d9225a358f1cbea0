"""Characters of a project and the cast of each scene.

Creating a character locks its project row, so two creations cannot both pass the per-project
limit; a cast change locks the scene's storyboard like every other scene edit
(services.scenes), and the cast's characters, so two casts cannot both pass a character's limit.
"""

import re
import uuid
from typing import Any

from tortoise.exceptions import IntegrityError

from models import Character, CharacterImage, Project, Scene, SceneCharacter
from services import activity, assets, chosen_images, rows, scenes, sql, validation
from services.db import transaction
from services.errors import Conflict, InvalidInput, NotFound
from services.limits import MAX_CHARACTER_SCENES, MAX_CHARACTERS
from services.storage import Storage

MAX_NAME = 200
MAX_DESCRIPTION = 5000
MAX_KEY = 100
_KEY = re.compile(r"[a-z0-9_-]{1,100}")  # always fullmatch: `$` accepts a final "\n"
_NOT_KEY = re.compile(r"[^a-z0-9]+")
# What a character's creation and deletion events show of it.
SHOWN = ("name", "description", "consistency_key", "metadata")
TAKEN = "This consistencyKey is already used by another character of the project."


def default_key(name: str) -> str:
    """The name in lower case, each run of characters other than a-z and 0-9 turned into one
    '-', leading and trailing '-' removed."""
    return _NOT_KEY.sub("-", name.lower()).strip("-")


def checked_key(value: str) -> str:
    if not _KEY.fullmatch(value):
        raise InvalidInput(
            f"`consistencyKey` is 1..{MAX_KEY} characters of a-z, 0-9, - and _.",
            field="consistencyKey",
        )
    return value


def checked_name(value: str) -> str:
    if not value.strip():
        raise InvalidInput("`name` must not be blank.", field="name")
    return validation.text(value, "name", maximum=MAX_NAME)


def checked_description(value: str) -> str:
    return validation.text(value, "description", minimum=0, maximum=MAX_DESCRIPTION)


def _not_null(changes: dict[str, Any], *names: str) -> None:
    for name in names:
        if name in changes and changes[name] is None:
            field = {"consistency_key": "consistencyKey"}.get(name, name)
            raise InvalidInput(f"`{field}` cannot be null.", field=field)


async def get_character(owner_id: uuid.UUID, character_id: uuid.UUID) -> sql.Row | None:
    return await rows.first(
        Character,
        f"SELECT {sql.select_list(Character, None, prefix='c.')} FROM characters c "
        "JOIN projects p ON p.id = c.project_id "
        "WHERE c.id = ? AND p.owner_id = ?",
        [character_id, owner_id],
    )


async def characters_by_ids(
    ids: list[uuid.UUID], columns: sql.Columns = None
) -> list[sql.Row | None]:
    return await rows.by_ids(Character, "characters", ids, columns)


async def characters_for_projects(
    ids: list[uuid.UUID], columns: sql.Columns = None
) -> list[list[sql.Row]]:
    """Each project's characters, by name: one statement."""
    return await rows.children(
        Character, "project_id", ids, columns, order="name, id", needed=["name"]
    )


async def characters_for_scenes(
    ids: list[uuid.UUID], columns: sql.Columns = None
) -> list[list[sql.Row]]:
    """Each scene's cast, by name: one statement."""
    select = sql.select_list(Character, columns, "id", "name", prefix="c.")
    found = await sql.fetch_rows(
        f"SELECT sc.scene_id AS cast_in, {select} FROM scene_characters sc "
        f"JOIN characters c ON c.id = sc.character_id WHERE {sql.id_list('sc.scene_id')} "
        "ORDER BY sc.scene_id, c.name, c.id",
        [sql.id_list_param(ids)],
    )
    return rows.grouped(sql.typed(Character, found), "cast_in", ids)


async def scenes_for_characters(
    ids: list[uuid.UUID], columns: sql.Columns = None
) -> list[list[sql.Row]]:
    """Each character's scenes, by storyboard (oldest first) then sceneNumber: one statement."""
    select = sql.select_list(Scene, columns, "id", prefix="s.")
    found = await sql.fetch_rows(
        f"SELECT sc.character_id AS cast_as, {select} FROM scene_characters sc "
        "JOIN scenes s ON s.id = sc.scene_id JOIN storyboards b ON b.id = s.storyboard_id "
        f"WHERE {sql.id_list('sc.character_id')} "
        "ORDER BY sc.character_id, b.created_at, b.id, s.scene_number",
        [sql.id_list_param(ids)],
    )
    return rows.grouped(sql.typed(Scene, found), "cast_as", ids)


async def images_for_characters(
    ids: list[uuid.UUID], columns: sql.Columns = None
) -> list[sql.Row | None]:
    return await chosen_images.images_for(CharacterImage, "character", ids, columns)


async def assets_for_characters(
    ids: list[uuid.UUID], columns: sql.Columns = None
) -> list[list[sql.Row]]:
    return await chosen_images.assets_for("character", ids, columns)


async def create_character(
    owner_id: uuid.UUID,
    project_id: uuid.UUID,
    name: str,
    description: str,
    consistency_key: str | None,
    metadata: Any,
) -> Character:
    name, description = checked_name(name), checked_description(description)
    key = checked_key(default_key(name) if consistency_key is None else consistency_key)
    try:
        async with transaction():
            # Locked: two creations at once must not both pass the limit.
            project = (
                await Project.filter(id=project_id, owner_id=owner_id).select_for_update().first()
            )
            if project is None:
                raise NotFound("No such project.", field="projectId")
            if await Character.filter(project_id=project_id).count() >= MAX_CHARACTERS:
                raise InvalidInput(
                    f"A project holds at most {MAX_CHARACTERS} characters.", field="projectId"
                )
            if await Character.filter(project_id=project_id, consistency_key=key).exists():
                raise Conflict(TAKEN, field="consistencyKey")
            character = await Character.create(
                project_id=project_id,
                name=name,
                description=description,
                consistency_key=key,
                metadata=metadata,
            )
            await activity.record(
                project_id,
                "character.created",
                "Character",
                character.id,
                activity.created(activity.snapshot(character, SHOWN)),
            )
    except IntegrityError as exc:  # the same key committed by a concurrent update
        raise Conflict(TAKEN, field="consistencyKey") from exc
    return character


async def _locked_character(owner_id: uuid.UUID, character_id: uuid.UUID) -> Character:
    character = (
        await Character.filter(id=character_id, project__owner_id=owner_id)
        .select_for_update()
        .first()
    )
    if character is None:
        raise NotFound("No such character.")
    return character


async def update_character(
    owner_id: uuid.UUID, character_id: uuid.UUID, changes: dict[str, Any]
) -> Character:
    """`changes` holds only the fields the client sent; `metadata: None` clears it."""
    _not_null(changes, "name", "description", "consistency_key")
    values: dict[str, Any] = {}
    if "name" in changes:
        values["name"] = checked_name(changes["name"])
    if "description" in changes:
        values["description"] = checked_description(changes["description"])
    if "consistency_key" in changes:
        values["consistency_key"] = checked_key(changes["consistency_key"])
    if "metadata" in changes:
        values["metadata"] = changes["metadata"]
    try:
        async with transaction():
            character = await _locked_character(owner_id, character_id)
            key = values.get("consistency_key")
            if (
                key is not None
                and key != character.consistency_key
                and await Character.filter(
                    project_id=character.project_id, consistency_key=key
                ).exists()
            ):
                raise Conflict(TAKEN, field="consistencyKey")
            old = activity.snapshot(character, list(values))
            character.update_from_dict(values)
            await character.save()
            await activity.record(
                character.project_id,  # type: ignore[arg-type]
                "character.updated",
                "Character",
                character.id,
                activity.diff(old, values),
            )
    except IntegrityError as exc:
        raise Conflict(TAKEN, field="consistencyKey") from exc
    return character


async def delete_character(storage: Storage, owner_id: uuid.UUID, character_id: uuid.UUID) -> bool:
    """Removes it from every cast; its assets (and their stored objects) go with it."""
    async with transaction():
        character = await _locked_character(owner_id, character_id)
        doomed = await assets.schedule_object_deletion(character_id=character.id)
        await Character.filter(id=character.id).delete()
        await activity.record(
            character.project_id,  # type: ignore[arg-type]
            "character.deleted",
            "Character",
            character.id,
            activity.created(activity.snapshot(character, SHOWN)),
        )
    await assets.purge_objects(storage, doomed)
    return True


async def set_scene_characters(
    owner_id: uuid.UUID, scene_id: uuid.UUID, character_ids: list[uuid.UUID]
) -> Scene:
    """Replace the scene's cast; every character must be of the scene's project (else
    NotFound). Refused while the storyboard is GENERATING, like every scene edit."""
    wanted = list(dict.fromkeys(character_ids))
    if len(wanted) > MAX_CHARACTERS:
        raise InvalidInput(f"A cast has at most {MAX_CHARACTERS} characters.", field="characterIds")
    async with transaction():
        storyboard, scene = await scenes.locked_scene(owner_id, scene_id)
        # Locked in id order (no deadlock between two casts): their scene counts hold.
        found = (
            await Character.filter(id__in=wanted, project_id=storyboard.project_id)
            .order_by("id")
            .select_for_update()
            .values_list("id", flat=True)
            if wanted
            else []
        )
        if len(found) != len(wanted):
            raise NotFound("No such character in the scene's project.", field="characterIds")
        current = set(
            await SceneCharacter.filter(scene_id=scene.id).values_list("character_id", flat=True)
        )
        added = [i for i in wanted if i not in current]
        await _check_scene_counts(added)
        await SceneCharacter.filter(
            scene_id=scene.id, character_id__in=list(current - set(wanted))
        ).delete()
        await SceneCharacter.bulk_create(
            [SceneCharacter(scene_id=scene.id, character_id=i) for i in added]
        )
        await scene.save(update_fields=["updated_at"])
        await activity.record(
            storyboard.project_id,  # type: ignore[arg-type]
            "scene.recast",
            "Scene",
            scene.id,
            {"characterIds": {"old": sorted(map(str, current)), "new": [str(i) for i in wanted]}},
        )
    return scene


async def _check_scene_counts(added: list[uuid.UUID]) -> None:
    """Refuse when a character joining the cast is already in as many scenes as it may be."""
    if not added:
        return
    full = await sql.fetch(
        f"SELECT character_id FROM scene_characters WHERE {sql.id_list('character_id')} "
        "GROUP BY character_id HAVING COUNT(*) >= ?",
        [sql.id_list_param(added), MAX_CHARACTER_SCENES],
    )
    if full:
        raise InvalidInput(
            f"A character is in at most {MAX_CHARACTER_SCENES} scenes.", field="characterIds"
        )


async def set_character_image(
    owner_id: uuid.UUID, character_id: uuid.UUID, asset_id: uuid.UUID | None
) -> Character:
    """A READY IMAGE asset attached to the character becomes its image; None clears it."""
    async with transaction():
        character = await _locked_character(owner_id, character_id)
        old = await chosen_images.choose(CharacterImage, "character", character.id, asset_id)
        await character.save(update_fields=["updated_at"])
        await activity.record(
            character.project_id,  # type: ignore[arg-type]
            "character.updated",
            "Character",
            character.id,
            {"image": {"old": old, "new": asset_id}},
        )
    return character
