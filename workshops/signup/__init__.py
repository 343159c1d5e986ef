"""Families' registrations: the catalogue, sign-up, waiting list, cancellation and reminders."""
