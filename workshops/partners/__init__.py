"""Partnership conventions between the PMI and its partners: terms, status, documents, reminders.

`terms` holds the date rules (status, renewals, notice), `service` the operations staff perform,
`documents` the signed PDF and insurance certificates, `reminders` the worker job that e-mails
both parties before each deadline.
"""
