"""Volunteer mode without Qt: the PIN, settings, events, practice mode.

The widgets in kiosk/ui/volunteer/ call these; tests drive them directly
on a real SQLite store.
"""
