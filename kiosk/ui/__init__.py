"""The kiosk's screens (Qt widgets). Each emits intent; none touches the database."""
