"""The fetcher's options as this deployment configures them."""

from newsdesk import config
from newsdesk.pipeline.fetch import FetchOptions


def fetch_options() -> FetchOptions:
    return FetchOptions(
        timeout=float(config.get("NEWSDESK_FETCH_TIMEOUT")),
        max_bytes=int(config.get("NEWSDESK_FETCH_MAX_BYTES")),
        allow_private=config.flag("NEWSDESK_ALLOW_PRIVATE"),
        host_delay_s=float(config.get("NEWSDESK_HOST_DELAY")),
    )
