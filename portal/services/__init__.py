"""Service functions that views call: they read and write the database."""
