"""Every route the project serves, from Django's URL resolver, for tests that hold each one
to a rule (a throttle scope, an OAuth2 scope)."""

from collections.abc import Callable

from django.urls import URLPattern, URLResolver, get_resolver


def every_route() -> list[tuple[str, Callable]]:
    """(route, view callback) of every URL pattern, the route as its patterns joined."""
    found: list[tuple[str, Callable]] = []

    def walk(patterns: list, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            else:
                assert isinstance(pattern, URLPattern)
                found.append((route, pattern.callback))

    walk(get_resolver().url_patterns, "")
    return found
