import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Evidence files and packs of a test go to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
