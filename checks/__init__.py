"""The rules: each a unit with a stable ID (see ``checks.catalogue``), thresholds from a rule pack."""
