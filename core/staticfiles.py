"""The production storage of static files: WhiteNoise's compressed manifest storage, with each name's URL computed
once per process. The manifest is read at start-up and does not change while the process runs (a new
collectstatic comes with a restart), so `{% static %}` need not look the name up, split and join URLs again on
every request (~13 µs a tag; a page has four or five)."""

import functools

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one storage object per process, kept for its lifetime
    def url(self, name, force=False):
        return super().url(name, force)
