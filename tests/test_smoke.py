from tests.helpers import Api, sign_up


async def test_me_is_null_without_credentials(api: Api) -> None:
    assert await api.gql("{ me { id } }") == {"me": None}


async def test_sign_up_returns_usable_token(api: Api) -> None:
    user = await sign_up(api)
    data = await api.gql("{ me { id email } }", user.token)
    assert data == {"me": {"id": user.id, "email": user.email}}
