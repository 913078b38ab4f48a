"""Operations: health and readiness checks, Prometheus metrics, the worker's HTTP port."""
