"""Use-cases: the only writers of the database, one transaction each. Never imports textual."""
