"""Settings for the benchmark's web server: the application's, plus one no-op endpoint."""

from techbank.settings import *  # noqa: F403

ROOT_URLCONF = "bench.trivial_urls"
