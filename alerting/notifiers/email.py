"""Pages by e-mail, through an SMTP relay."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from alerting.notifiers.base import DeliveryError, Message


@dataclass(frozen=True)
class EmailNotifier:
    host: str
    port: int = 25
    sender: str = "menhir@localhost"
    starttls: bool = False
    username: str = ""
    password: str = ""
    timeout: float = 10.0
    channel: str = "email"

    def send(self, message: Message, recipient: str) -> str:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = recipient
        mail["Subject"] = message.subject
        msgid = make_msgid(domain="menhir")
        mail["Message-ID"] = msgid
        # Threads every mail of one incident together in the operator's client.
        mail["References"] = f"<incident-{message.incident_id}@menhir>"
        mail["X-Menhir-Incident"] = str(message.incident_id)
        mail["X-Menhir-Event"] = message.kind
        mail.set_content(message.text)
        if message.html:
            mail.add_alternative(message.html, subtype="html")  # multipart/alternative
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password)
                refused = smtp.send_message(mail)
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryError(f"SMTP {self.host}:{self.port}: {error}") from error
        if refused:
            raise DeliveryError(f"SMTP refused {', '.join(refused)}")
        return msgid
