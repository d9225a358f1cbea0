"""Root mutations of the creative model (characters, casts, keyframes) and of the user's own
account and storyboard edits; `schema.mutation.Mutation` inherits them."""

import strawberry

from resolvers import characters, keyframes, storyboards, users
from resolvers.context import Info
from schema.inputs import (
    CreateCharacterInput,
    KeyframeInput,
    UpdateCharacterInput,
    UpdateKeyframeInput,
    UpdateMeInput,
    UpdateStoryboardInput,
    provided,
)
from schema.permissions import CanWrite
from schema.types.character import Character
from schema.types.keyframe import Keyframe
from schema.types.scene import Scene
from schema.types.storyboard import Storyboard
from schema.types.user import AuthPayload, User

# Scene, keyframe and cast edits and the generator take turns on the storyboard's lock.
GENERATING = (
    "While the storyboard is GENERATING it belongs to the generator: CONFLICT "
    '("The storyboard is being generated; edit it when generation ends.").'
)
IMAGE = (
    "A READY IMAGE asset attached to the {0}, or null to clear; any other asset is "
    "BAD_USER_INPUT (field assetId)."
)


def _id(value: strawberry.ID | None) -> str | None:
    return None if value is None or value is strawberry.UNSET else str(value)


@strawberry.type
class CreativeMutation:
    @strawberry.mutation(permission_classes=[CanWrite])
    async def update_me(self, info: Info, input: UpdateMeInput) -> User:
        return User.from_model(await users.update_me(info.context, changes=provided(input)))

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="Needs the current password (else UNAUTHENTICATED) and a session token. "
        "Every session token issued before it stops working, the calling one included; the "
        "returned token is the one to use. newPassword: at least 8 characters.",
    )
    async def change_password(
        self, info: Info, current_password: str, new_password: str
    ) -> AuthPayload:
        user, token = await users.change_password(
            info.context, current_password=current_password, new_password=new_password
        )
        return AuthPayload(token=token, user=User.from_model(user))

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="Ends every session token of the caller issued until now, this one "
        "included; open subscriptions of those tokens end within seconds. API keys are "
        "untouched. Needs a session token.",
    )
    async def log_out_everywhere(self, info: Info) -> bool:
        return await users.log_out_everywhere(info.context)

    @strawberry.mutation(permission_classes=[CanWrite], description=GENERATING)
    async def update_storyboard(
        self, info: Info, id: strawberry.ID, input: UpdateStoryboardInput
    ) -> Storyboard:
        return Storyboard.from_model(
            await storyboards.update_storyboard(info.context, id=id, changes=provided(input))
        )

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="At most 500 characters per project. A taken consistencyKey (the default "
        "one included) is CONFLICT.",
    )
    async def create_character(self, info: Info, input: CreateCharacterInput) -> Character:
        return Character.from_model(
            await characters.create_character(
                info.context,
                project_id=input.project_id,
                name=input.name,
                description=input.description,
                consistency_key=input.consistency_key,
                metadata=input.metadata,
            )
        )

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="A consistencyKey taken by another character of the project is CONFLICT.",
    )
    async def update_character(
        self, info: Info, id: strawberry.ID, input: UpdateCharacterInput
    ) -> Character:
        return Character.from_model(
            await characters.update_character(info.context, id=id, changes=provided(input))
        )

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="Removes it from every scene's cast; its assets go with it.",
    )
    async def delete_character(self, info: Info, id: strawberry.ID) -> bool:
        return await characters.delete_character(info.context, id=id)

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="Replaces the scene's cast; every character must belong to the scene's "
        "project (else NOT_FOUND). A character is in at most 1,000 scenes. " + GENERATING,
    )
    async def set_scene_characters(
        self, info: Info, scene_id: strawberry.ID, character_ids: list[strawberry.ID]
    ) -> Scene:
        return Scene.from_model(
            await characters.set_scene_characters(
                info.context, scene_id=scene_id, character_ids=[str(i) for i in character_ids]
            )
        )

    @strawberry.mutation(permission_classes=[CanWrite], description=IMAGE.format("character"))
    async def set_character_image(
        self, info: Info, id: strawberry.ID, asset_id: strawberry.ID | None = strawberry.UNSET
    ) -> Character:
        return Character.from_model(
            await characters.set_character_image(info.context, id=id, asset_id=_id(asset_id))
        )

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="Appends a keyframe (or inserts it at position 1..n+1, renumbering those "
        "after it). At most 100 keyframes per scene. " + GENERATING,
    )
    async def add_keyframe(
        self,
        info: Info,
        scene_id: strawberry.ID,
        input: KeyframeInput,
        position: int | None = None,
    ) -> Keyframe:
        return Keyframe.from_model(
            await keyframes.add_keyframe(
                info.context, scene_id=scene_id, values=provided(input), position=position
            )
        )

    @strawberry.mutation(permission_classes=[CanWrite], description=GENERATING)
    async def update_keyframe(
        self, info: Info, id: strawberry.ID, input: UpdateKeyframeInput
    ) -> Keyframe:
        return Keyframe.from_model(
            await keyframes.update_keyframe(info.context, id=id, values=provided(input))
        )

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="Moves a keyframe to sequence = position (1..n), renumbering the others; "
        "sequences stay 1..n without gaps. " + GENERATING,
    )
    async def move_keyframe(self, info: Info, id: strawberry.ID, position: int) -> Scene:
        return Scene.from_model(
            await keyframes.move_keyframe(info.context, id=id, position=position)
        )

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="Deletes the keyframe and its assets, renumbering those after it. "
        + GENERATING,
    )
    async def delete_keyframe(self, info: Info, id: strawberry.ID) -> Scene:
        return Scene.from_model(await keyframes.delete_keyframe(info.context, id=id))

    @strawberry.mutation(
        permission_classes=[CanWrite], description=IMAGE.format("keyframe") + " " + GENERATING
    )
    async def set_keyframe_image(
        self, info: Info, id: strawberry.ID, asset_id: strawberry.ID | None = strawberry.UNSET
    ) -> Keyframe:
        return Keyframe.from_model(
            await keyframes.set_keyframe_image(info.context, id=id, asset_id=_id(asset_id))
        )
