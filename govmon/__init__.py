"""govmon core."""
