"""Channels that deliver pages: e-mail (SMTP) and signed JSON webhooks. No Django in here."""
