"""The core's forms: the town's records and accounts, the audit search, the notification channels."""
