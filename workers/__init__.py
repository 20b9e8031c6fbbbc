"""The IO edge: the Celery app and its tasks, SMTP delivery, the mail catcher, the beat schedule."""
