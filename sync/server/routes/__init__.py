"""The store's HTTP API, one router per area; `create_app` includes them all."""
