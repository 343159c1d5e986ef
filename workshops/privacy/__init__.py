"""Families' personal data: what the platform tells them (the privacy notice) and how long it
keeps their data (DESIGN rule 6)."""
