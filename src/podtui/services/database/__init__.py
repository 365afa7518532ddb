"""The database as a whole: moving a shop between SQLite and PostgreSQL (`copy`), verified by a
checksum per table over a canonical serialisation of its rows (`checksum`)."""
