"""The central database: tables (``tables``), engines for SQLite/PostgreSQL/MariaDB
(``engine``) and versioned Alembic migrations (``migrate``, ``migrations/``). The same code and
the same migrations serve all three databases."""
