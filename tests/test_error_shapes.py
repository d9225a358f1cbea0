"""The contract's shape of an error whose cause is not a domain error (resolvers.errors): a value
that failed to parse into its input type is the caller's (BAD_USER_INPUT, its message kept); a
fault raised by a subscription's stream — which Strawberry and schema.fanout.failure wrap without
a path — is the server's (INTERNAL, logged, its message never sent: it may carry SQL)."""

import logging

import orjson
import pytest
from graphql import GraphQLError

from resolvers.errors import INTERNAL_MESSAGE, contract_error
from schema import fanout


def test_a_value_that_failed_to_parse_is_bad_user_input() -> None:
    error = GraphQLError(
        "Variable '$size' got invalid value 1.5; Long cannot represent a non-integer value",
        original_error=ValueError("Long cannot represent a non-integer value"),
    )
    shaped = contract_error(error)
    assert shaped.extensions == {"code": "BAD_USER_INPUT", "field": "size"}
    assert shaped.message == error.message


def test_a_fault_raised_by_a_stream_is_internal_and_its_message_is_not_sent(
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret = 'relation "jobs" does not exist at character 15 (SELECT * FROM jobs WHERE ...)'
    with caplog.at_level(logging.ERROR, logger="storygraph.errors"):
        failed = fanout.failure(RuntimeError(secret), orjson.dumps)
    payload = orjson.loads(failed.payload)
    assert failed.code == "INTERNAL"
    assert payload == {
        "data": None,
        "errors": [{"message": INTERNAL_MESSAGE, "extensions": {"code": "INTERNAL"}}],
    }
    assert secret not in failed.payload
    assert [r.exc_info[1] for r in caplog.records if r.exc_info] != []
