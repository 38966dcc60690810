"""Volunteer mode's widgets: lockdown, the hidden gesture, the PIN and the panel."""
