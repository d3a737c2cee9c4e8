"""Loaded by pytest before Django starts (`-p coopchain.testenv` in pyproject.toml).

Tests need no secret from the environment; DATABASE_URL may still point them at PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")
