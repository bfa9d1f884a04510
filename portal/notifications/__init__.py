"""Email, SMS and letters: written to an outbox in the change's own transaction,
sent afterwards by a worker through GOV.UK Notify, SMTP or the development
provider, retried with backoff, and tracked through delivery receipts."""
