"""Fixtures of the rooms tests: the real SMTP server of the mail tests, for the booking e-mails."""

from tests.mail.conftest import smtp_server as smtp_server
