"""Operations: health and Prometheus metrics, `menhir check`, structured logs, backups and the
process supervisor of `make stack`."""
