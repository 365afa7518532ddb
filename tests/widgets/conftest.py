"""Widget tests paint times too: the screens' zone pin applies here as well."""

from tests.screens.conftest import _utc_local_time  # noqa: F401 - autouse fixture
