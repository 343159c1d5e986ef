"""The real SMTP server of the mail tests, for the families' journeys."""

from tests.mail.conftest import smtp_server as smtp_server
