"""Request-scoped glue between the GraphQL schema and the services."""
