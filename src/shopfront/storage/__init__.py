"""Storage: peewee records, opening the database, migrations, queries returning core types."""
