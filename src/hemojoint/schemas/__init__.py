"""Pydantic shapes of what enters and leaves the API (and the CLI's registry commands)."""
