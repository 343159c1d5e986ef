"""E-mail through an outbox: `enqueue_mail` in the transaction of a change, a worker sends it."""

from workshops.mail.service import enqueue_mail as enqueue_mail
