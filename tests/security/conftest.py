"""The real SMTP server of the mail tests, for the checks on families' links."""

from tests.mail.conftest import smtp_server as smtp_server
