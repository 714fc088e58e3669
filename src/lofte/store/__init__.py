"""Persistence: schema, migrations, and repository functions over SQLAlchemy sessions."""
