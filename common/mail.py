"""Sending one e-mail through the configured SMTP relay: the one path every Menhir mail takes
(pages and recovery notices, penalty notices), so the relay's settings and failures are handled
once."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any


class MailError(RuntimeError):
    """The relay refused or could not take the message: the caller records it and may retry."""


@dataclass(frozen=True)
class Relay:
    host: str
    port: int = 25
    sender: str = "menhir@localhost"
    starttls: bool = False
    username: str = ""
    password: str = ""
    timeout: float = 10.0

    @classmethod
    def from_settings(cls, settings: Any) -> Relay:
        return cls(
            settings.MENHIR_SMTP_HOST,
            settings.MENHIR_SMTP_PORT,
            sender=settings.MENHIR_SMTP_FROM,
            starttls=settings.MENHIR_SMTP_STARTTLS,
            username=settings.MENHIR_SMTP_USER,
            password=settings.MENHIR_SMTP_PASSWORD,
        )

    def send(self, mail: EmailMessage) -> None:
        """Hand `mail` (From set by the caller or taken from the relay) to the relay, or raise
        MailError saying why not."""
        if "From" not in mail:
            mail["From"] = self.sender
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password)
                refused = smtp.send_message(mail)
        except (OSError, smtplib.SMTPException) as error:
            raise MailError(f"SMTP {self.host}:{self.port}: {error}") from error
        if refused:
            raise MailError(f"SMTP refused {', '.join(refused)}")
