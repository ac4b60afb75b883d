"""Schedules drive the whole: `govmon serve` runs the probes, crawls, checks, reports and emails.

``plan`` says which jobs the registry needs and when, ``jobs`` holds what each one does,
``service`` keeps them in the database's job store and runs them, and ``replay`` runs them
over simulated days on a pinned clock.
"""
