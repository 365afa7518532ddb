"""Alembic migrations of podtui's schema, applied at every start."""
