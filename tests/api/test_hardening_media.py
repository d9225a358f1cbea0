"""Media hardening (the hardening issue's defects 4 and 12), on local storage and on moto S3.

Uses the fixtures and helpers of test_assets.py: `storage_api` runs each test against a folder
served by the app itself and against an S3 bucket on a moto server.
"""

from tests.api.test_assets import (
    COMPLETE_ASSET_UPLOAD,
    CREATE_ASSET_UPLOAD,
    Backend,
    announce,
    aws_env,
    moto_url,
    place,
    png,
    storage_api,
    upload_input,
)

# Fixtures used by this module's tests, imported from test_assets.py.
__all__ = ["aws_env", "moto_url", "storage_api"]

SANDBOX = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


async def url_of(backend: Backend, token: str, asset_id: str) -> str:
    """The asset's download URL, as completeAssetUpload returns it."""
    done = await backend.api.gql(COMPLETE_ASSET_UPLOAD, token, id=asset_id)
    assert done["completeAssetUpload"]["status"] == "READY"
    url: str = done["completeAssetUpload"]["url"]
    return url


# --- content types are matched whole ---------------------------------------------------------


async def test_content_type_with_a_trailing_newline_is_refused(storage_api: Backend) -> None:
    api = storage_api.api
    where = await place(api)
    for content_type in ("image/png\n", "image/png\r\n", "image/png\nx-evil: 1", "image/png\t\n"):
        error = await api.gql_error(
            CREATE_ASSET_UPLOAD,
            where.user.token,
            input=upload_input(where.project_id, png(10), contentType=content_type),
        )
        assert error["extensions"]["code"] == "BAD_USER_INPUT", content_type
        assert error["extensions"]["field"] == "contentType", content_type
    assert await storage_api.objects() == {}

    # Surrounding spaces and tabs are still forgiven, and case is normalised.
    accepted = await announce(
        api, where.user, where.project_id, png(10), contentType="\tImage/PNG "
    )
    assert accepted["asset"]["contentType"] == "image/png"
