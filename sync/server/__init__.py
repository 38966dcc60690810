"""The central store: `app.create_app(settings)`, its database, routes and commands.

Nothing is imported here, so the kiosk's command line can list the store's
commands without loading FastAPI (and a kiosk installed without the `store`
extra still starts).
"""
