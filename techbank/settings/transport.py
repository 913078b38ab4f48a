"""HTTPS: where TLS ends and what Django does about it (part of the settings package:
techbank/settings/__init__.py).

gunicorn speaks plain HTTP; in production TLS ends at a proxy or load balancer in front of it,
which tells Django a request came over HTTPS with a header it sets on every request. With
HTTPS_ONLY (on by default when DEBUG is off) Django trusts that header, redirects any request
that did not come over HTTPS (the probes excepted: ProbeMiddleware answers them before
SecurityMiddleware, so an internal health check over plain HTTP still works), marks its
cookies Secure and sends HSTS. A machine that serves plain HTTP (`make run`, the tests, the
Docker Compose file's port on 127.0.0.1) says HTTPS_ONLY=false. Each part can also be set on its
own. `manage.py check --deploy` is clean with the defaults (a test holds it so).
"""

from django.core.exceptions import ImproperlyConfigured

from .core import DEBUG
from .environment import env

HTTPS_ONLY = env.bool("HTTPS_ONLY", default=not DEBUG)


def _or_https_only(value: str, if_https: int | bool = True) -> int | bool:
    """A flag or number given (not empty), else what HTTPS_ONLY implies: `.env.example` lists
    every name with an empty value, so that setting HTTPS_ONLY alone is enough."""
    if value.strip() == "":
        return if_https if HTTPS_ONLY else type(if_https)(0)
    return env.parse_value(value.strip(), type(if_https))


# The header the TLS proxy sets (and overwrites, whatever the client sent) to say "HTTPS":
# `HTTP_X_FORWARDED_PROTO,https`; `none`: no header is trusted; empty: that one if HTTPS_ONLY.
_proxy_header = env.str("SECURE_PROXY_SSL_HEADER", default="").strip()
if _proxy_header == "":
    _proxy_header = "HTTP_X_FORWARDED_PROTO,https" if HTTPS_ONLY else "none"
_header_parts = [part.strip() for part in _proxy_header.split(",")]
if _proxy_header.lower() == "none":
    SECURE_PROXY_SSL_HEADER = None
elif len(_header_parts) == 2 and all(_header_parts):
    SECURE_PROXY_SSL_HEADER = (_header_parts[0], _header_parts[1])
else:
    raise ImproperlyConfigured(
        "SECURE_PROXY_SSL_HEADER is the header and the value meaning HTTPS, "
        f"HTTP_X_FORWARDED_PROTO,https; or none; not {_proxy_header!r}"
    )

# Django answers a plain-HTTP request with a redirect to HTTPS (the proxy may do so as well;
# this one also holds if the proxy forwards plain HTTP).
SECURE_SSL_REDIRECT = _or_https_only(env.str("SECURE_SSL_REDIRECT", default=""))
# The session and CSRF cookies only ever travel over HTTPS.
SESSION_COOKIE_SECURE = _or_https_only(env.str("SESSION_COOKIE_SECURE", default=""))
CSRF_COOKIE_SECURE = _or_https_only(env.str("CSRF_COOKIE_SECURE", default=""))
# HSTS on HTTPS answers: browsers use nothing but HTTPS for the host for this long (a year),
# its subdomains included, and the host may be put on the browsers' preload list.
SECURE_HSTS_SECONDS = _or_https_only(env.str("SECURE_HSTS_SECONDS", default=""), 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _or_https_only(
    env.str("SECURE_HSTS_INCLUDE_SUBDOMAINS", default="")
)
SECURE_HSTS_PRELOAD = _or_https_only(env.str("SECURE_HSTS_PRELOAD", default=""))
