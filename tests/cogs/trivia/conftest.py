"""The end-to-end fixtures, shared with tests/e2e."""

from tests.e2e.conftest import env  # noqa: F401
