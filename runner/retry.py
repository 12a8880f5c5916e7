"""How often a failed step is tried again, and how long it waits first (node keys `retries`,
`retry_backoff_seconds`). Pure: the runner stores the wait as the step's `not_before`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_BACKOFF_SECONDS = 1.0


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 0
    backoff_seconds: float = DEFAULT_BACKOFF_SECONDS

    @classmethod
    def of_node(cls, node: Mapping[str, Any]) -> RetryPolicy:
        retries, backoff = node.get("retries", 0), node.get("retry_backoff_seconds", DEFAULT_BACKOFF_SECONDS)
        return cls(
            retries=retries if isinstance(retries, int) and not isinstance(retries, bool) and retries > 0 else 0,
            backoff_seconds=float(backoff) if _number(backoff) and backoff >= 0 else DEFAULT_BACKOFF_SECONDS,
        )

    def delay(self, attempt: int) -> float | None:
        """Seconds to wait after failed attempt `attempt` (1, 2, ...), doubling each time; None: give up."""
        if attempt > self.retries:
            return None
        return self.backoff_seconds * 2 ** (attempt - 1)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
