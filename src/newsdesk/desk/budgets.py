"""The pipeline's work budgets as this deployment configures them (`NEWSDESK_MAX_…`)."""

from newsdesk import config
from newsdesk.pipeline.budgets import SETTING, Budgets


def budgets() -> Budgets:
    """Read at each call, so a changed setting applies to the next item."""
    return Budgets(**{field: int(config.get(name)) for field, name in SETTING.items()})
