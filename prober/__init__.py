"""Active measurement: round-trip time, loss and jitter of every access link, every slot."""
