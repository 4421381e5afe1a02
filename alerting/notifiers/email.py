"""Pages by e-mail, through the SMTP relay (common.mail)."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from alerting.notifiers.base import DeliveryError, Message
from common.mail import MailError, Relay


@dataclass(frozen=True)
class EmailNotifier:
    relay: Relay
    channel: str = "email"

    def send(self, message: Message, recipient: str) -> str:
        mail = EmailMessage()
        mail["From"] = self.relay.sender
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
            self.relay.send(mail)
        except MailError as error:
            raise DeliveryError(str(error)) from error
        return msgid
