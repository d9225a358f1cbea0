"""GraphQL over WebSocket: text frames with a size limit, and both protocols' handlers answering
malformed messages with a code (Strawberry's handlers, with their gaps closed)."""

import asyncio
from collections.abc import AsyncGenerator, Mapping
from json import JSONDecodeError
from typing import Any, cast

from starlette.websockets import WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.exceptions import (
    NonJsonMessageReceived,
    NonTextMessageReceived,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.subscriptions.protocols.graphql_ws.types import (
    ConnectionInitMessage,
    OperationMessage,
    StartMessage,
)
from strawberry.types.unset import UnsetType

from resolvers.context import Context
from schema.requests import request_problem

# graphql-transport-ws: "Invalid message" closes with 4400; a refused connection_init with 4403.
INVALID_MESSAGE = 4400
FORBIDDEN = 4403


def _limit_error(limit: int | None) -> dict[str, Any]:
    return {
        "message": f"Subscription limit reached: at most {limit} operations at a time on one "
        "connection.",
        "extensions": {"code": "RATE_LIMITED"},
    }


class TextFrames(ASGIWebSocketAdapter):
    """GraphQL-over-WebSocket messages are text frames of JSON objects, at most
    `view.max_message_bytes` long: anything else closes the socket with 4400 before it is decoded
    (or, on the legacy protocol, is ignored when it is not JSON, as Strawberry does)."""

    async def iter_json(
        self, *, ignore_parsing_errors: bool = False
    ) -> AsyncGenerator[object, None]:
        limit: int = getattr(self.view, "max_message_bytes", 1024 * 1024)
        try:
            while self.ws.application_state != WebSocketState.DISCONNECTED:
                text = await self.ws.receive_text()
                if len(text) > limit // 4 and len(text.encode()) > limit:
                    await self.close(INVALID_MESSAGE, f"Message exceeds {limit} bytes")
                    return
                try:
                    message = self.view.decode_json(text)
                except JSONDecodeError as exc:
                    if ignore_parsing_errors:
                        continue
                    raise NonJsonMessageReceived from exc
                if not isinstance(message, dict) or not isinstance(message.get("type"), str):
                    await self.close(INVALID_MESSAGE, "Message must be a JSON object with a type")
                    return
                yield message
        except KeyError as exc:  # a binary frame has no "text"
            raise NonTextMessageReceived from exc
        except WebSocketDisconnect:
            pass

    async def send_json(self, message: Mapping[str, object]) -> None:
        # The client is gone (or the socket is closing): there is nobody to tell. The
        # receiving loop sees the disconnect and ends every operation; raising here instead
        # made Strawberry log an operation that finished after its client left as an error.
        if WebSocketState.DISCONNECTED in (self.ws.client_state, self.ws.application_state):
            return
        encoded = self.view.encode_json(message)
        try:
            await self.ws.send_text(encoded.decode() if isinstance(encoded, bytes) else encoded)
        except WebSocketDisconnect:
            return
        except RuntimeError:
            # Starlette: "Cannot call send once a close message has been sent" (closed while
            # this message was being encoded).
            if self.ws.application_state != WebSocketState.DISCONNECTED:
                raise


class GraphQLTransportWS(BaseGraphQLTransportWSHandler[Context, None]):
    """A malformed `subscribe` closes 4400 (Strawberry's would crash or run nothing); the
    operation limit's error carries a code."""

    def forget_id(self, id: str) -> None:
        # An operation that finishes after its client left finds its id gone already: the
        # socket's shutdown cleaned every operation up. Nothing is left to forget.
        self.operations.pop(id, None)

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        op_id, payload = message.get("id"), message.get("payload")
        if not isinstance(op_id, str) or not op_id:
            await self.handle_invalid_message("Subscribe message must have a string id")
            return
        problem = request_problem(payload)
        if problem is not None or not isinstance(cast(dict[str, Any], payload).get("query"), str):
            reason = problem[0] if problem else "`query` must be a string."
            await self.handle_invalid_message(f"Invalid subscribe payload: {reason}")
            return
        limit = self.max_subscriptions_per_connection
        if (
            self.connection_acknowledged
            and op_id not in self.operations
            and limit is not None
            and len(self.operations) >= limit
        ):
            error = {"id": op_id, "type": "error", "payload": [_limit_error(limit)]}
            await self.websocket.send_json(error)
            return
        await super().handle_subscribe(message)


class GraphQLWS(BaseGraphQLWSHandler[Context, None]):
    """The legacy protocol: a refused `connection_init` closes 4403 (not 1011), a message
    without an id closes 4400, and a malformed `start` or the operation limit gets an error
    message with a code."""

    async def handle_message(self, message: OperationMessage) -> None:
        if message["type"] in ("start", "stop") and not isinstance(message.get("id"), str):
            await self.websocket.close(INVALID_MESSAGE, f"A {message['type']} message needs an id")
            return
        await super().handle_message(message)

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        # Strawberry's, except that a refusal closes with 4403 as on graphql-transport-ws.
        payload = message.get("payload")
        if payload is not None and not isinstance(payload, dict):
            await self.send_message({"type": "connection_error"})
            await self.websocket.close(INVALID_MESSAGE, "Invalid connection init payload")
            return
        self.context.connection_params = payload
        try:
            ack = await self.view.on_ws_connect(self.context)
        except ConnectionRejectionError as exc:
            await self.send_message({"type": "connection_error", "payload": exc.payload})
            await self.websocket.close(FORBIDDEN, "Forbidden")
            return
        if isinstance(ack, UnsetType) or ack is None:
            await self.send_message({"type": "connection_ack"})
        else:
            await self.send_message({"type": "connection_ack", "payload": ack})
        self.connection_acknowledged = True
        if self.keep_alive:
            self.keep_alive_task = asyncio.create_task(self.handle_keep_alive())

    async def handle_start(self, message: StartMessage) -> None:
        op_id = message["id"]
        payload = message.get("payload")
        problem = request_problem(payload)
        if problem is None and not isinstance(cast(dict[str, Any], payload).get("query"), str):
            problem = ("`query` must be a string.", "query")
        if problem is not None and self.connection_acknowledged:
            error = {
                "message": problem[0],
                "extensions": {"code": "BAD_USER_INPUT", "field": problem[1]},
            }
            await self.websocket.send_json({"type": "error", "id": op_id, "payload": error})
            return
        limit = self.max_subscriptions_per_connection
        if (
            self.connection_acknowledged
            and op_id not in self.tasks
            and limit is not None
            and len(self.tasks) >= limit
        ):
            refusal = {"type": "error", "id": op_id, "payload": _limit_error(limit)}
            await self.websocket.send_json(refusal)
            return
        await super().handle_start(message)
