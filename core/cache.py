"""A cache of this process's own memory for what a process renders once and reuses: the public frame's fragments
({% cache %} in templates/base_public.html and the verify page, settings.CACHES["fragments"]).

Django's LocMemCache pickles every value on the way in and out, and checks every key for memcached, so that it
behaves like a shared cache; a fragment is an immutable string made by this process under a key made by the
``{% cache %}`` tag (an MD5), so neither is needed, and on the page anyone asks for (the certificate check) they
were most of each tag's cost. Values are kept as they are: only for immutable ones. No expiry (the settings must
say ``TIMEOUT: None``); at most ``MAX_ENTRIES`` (the oldest go first).
"""

import threading

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.exceptions import ImproperlyConfigured

_MISSING = object()


class ProcessMemoryCache(BaseCache):
    def __init__(self, name, params):
        super().__init__(params)
        if self.default_timeout is not None:
            raise ImproperlyConfigured(
                f"the cache {name!r} keeps values for the process's life: set TIMEOUT None"
            )
        self._data: dict = {}
        self._lock = threading.Lock()

    def validate_key(self, key):
        """Keys are the {% cache %} tag's own (an MD5 digest): nothing to warn about."""

    def get(self, key, default=None, version=None):
        return self._data.get(self.make_key(key, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_key(key, version)
        with self._lock:
            self._data[key] = value
            while len(self._data) > self._max_entries:
                del self._data[next(iter(self._data))]

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._lock:
            if self.make_key(key, version) in self._data:
                return False
        self.set(key, value, timeout, version)
        return True

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self.has_key(key, version)

    def has_key(self, key, version=None):
        return self.make_key(key, version) in self._data

    def delete(self, key, version=None):
        with self._lock:
            return self._data.pop(self.make_key(key, version), _MISSING) is not _MISSING

    def clear(self):
        with self._lock:
            self._data.clear()
