"""Service levels against the contract: availability, GTR/GTI, committed rates, penalties."""
