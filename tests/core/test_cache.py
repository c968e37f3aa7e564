"""core.cache.ProcessMemoryCache: the fragments' cache of a process's own memory (values as they are, no expiry)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.cache import ProcessMemoryCache


def _cache(**params):
    return ProcessMemoryCache("test", {"TIMEOUT": None, **params})


def test_keeps_values_as_they_are():
    cache = _cache()
    value = "<header>…</header>"
    assert cache.get("k") is None and cache.get("k", "default") == "default"
    cache.set("k", value)
    assert cache.get("k") is value and cache.has_key("k") and cache.touch("k")
    assert cache.add("k", "other") is False and cache.get("k") is value
    assert cache.add("j", "new") is True and cache.get("j") == "new"
    assert cache.delete("k") is True and cache.delete("k") is False and cache.get("k") is None
    cache.clear()
    assert cache.get("j") is None


def test_versions_are_apart():
    cache = _cache()
    cache.set("k", "one", version=1)
    cache.set("k", "two", version=2)
    assert cache.get("k", version=1) == "one" and cache.get("k", version=2) == "two"


def test_the_oldest_go_first_beyond_max_entries():
    cache = _cache(OPTIONS={"MAX_ENTRIES": 3})
    for key in "abcd":
        cache.set(key, key.upper())
    assert [cache.get(key) for key in "abcd"] == [None, "B", "C", "D"]


def test_refuses_an_expiry():
    with pytest.raises(ImproperlyConfigured, match="TIMEOUT None"):
        ProcessMemoryCache("test", {"TIMEOUT": 300})
