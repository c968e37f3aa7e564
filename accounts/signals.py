"""Signals accounts sends for the apps above it, which keep figures of their own about enterprises (accounts
imports none of them)."""

from django.dispatch import Signal

# An enterprise's industry changed (accounts.services.update_enterprise), in the transaction that changed it:
# sent with `enterprise` (its new industry saved) and `old` (the industry code before).
industry_changed = Signal()
