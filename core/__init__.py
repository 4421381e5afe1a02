"""Tables every app relies on: API tokens with roles and the change log."""
