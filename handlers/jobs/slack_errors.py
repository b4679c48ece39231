"""Turning Slack failures into retry decisions for scheduled posts."""

from __future__ import annotations

import aiohttp
from slack_sdk.errors import SlackApiError

from bot.domain.schedules import DeliveryError

RETRYABLE = {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}


def delivery_error(exc: Exception) -> DeliveryError:
    if isinstance(exc, SlackApiError):
        error = str(exc.response.get("error") or "unknown_error")
        retry_after = exc.response.headers.get("Retry-After") or exc.response.headers.get("retry-after")
        return DeliveryError(
            error,
            retry=exc.response.status_code == 429 or exc.response.status_code >= 500 or error in RETRYABLE,
            retry_after=float(retry_after) if retry_after else None,
        )
    if isinstance(exc, aiohttp.ClientError | TimeoutError | OSError):
        return DeliveryError(f"network: {type(exc).__name__}")
    raise exc
