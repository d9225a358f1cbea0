"""Root mutations of webhooks; `schema.mutation.Mutation` inherits them."""

import strawberry

from resolvers import webhooks
from resolvers.context import Info
from schema.inputs import CreateWebhookInput
from schema.permissions import CanWrite
from schema.types.webhook import CreatedWebhook, Webhook, WebhookDelivery


@strawberry.type
class WebhookMutation:
    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="At most 20 webhooks per user. The webhook receives the events committed "
        "from now on, each POSTed as JSON with a `Storygraph-Signature` header (README).",
    )
    async def create_webhook(self, info: Info, input: CreateWebhookInput) -> CreatedWebhook:
        webhook, secret = await webhooks.create_webhook(
            info.context, url=input.url, events=input.events, project_id=input.project_id
        )
        return CreatedWebhook(secret=secret, webhook=Webhook.from_model(webhook))

    @strawberry.mutation(
        permission_classes=[CanWrite], description="Its deliveries are deleted with it."
    )
    async def delete_webhook(self, info: Info, id: strawberry.ID) -> bool:
        return await webhooks.delete_webhook(info.context, id=id)

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="Sends a 'webhook.ping' delivery now, beside the events (at most 5 waiting "
        "per webhook, else CONFLICT).",
    )
    async def ping_webhook(self, info: Info, id: strawberry.ID) -> WebhookDelivery:
        return WebhookDelivery.from_model(await webhooks.ping_webhook(info.context, id=id))
