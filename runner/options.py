"""What a run was asked to do besides running every step: stored as JSON on the Run."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from designer.pipelines.subpipelines import steps_of
from runner.plan import Plan


class RunOptionError(ValueError):
    """Options that do not fit the pipeline version (e.g. a node it does not have)."""


@dataclass(frozen=True)
class RunOptions:
    regenerate: bool = False  # run every step, reuse nothing
    up_to: str | None = None  # run only this node and its ancestors
    from_node: str | None = None  # this node and everything downstream run with reuse off
    retry_of: int | None = None  # the Run id this run retries
    continue_on_failure: bool = False  # after a failure, independent branches still run

    def to_json(self) -> dict[str, Any]:
        data = {
            "regenerate": self.regenerate,
            "up_to": self.up_to,
            "from": self.from_node,
            "retry_of": self.retry_of,
            "continue_on_failure": self.continue_on_failure,
        }
        return {key: value for key, value in data.items() if value not in (None, False)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> RunOptions:
        data = data or {}
        return cls(
            regenerate=bool(data.get("regenerate", False)),
            up_to=data.get("up_to") or None,
            from_node=data.get("from") or None,
            retry_of=data.get("retry_of"),
            continue_on_failure=bool(data.get("continue_on_failure", False)),
        )

    def check(self, plan: Plan) -> None:
        """Raise RunOptionError if a node named here is not in `plan` (a group counts: its inner steps are)."""
        for name, node in (("up_to", self.up_to), ("from", self.from_node)):
            if node is not None and not steps_of(node, plan.order):
                raise RunOptionError(f"'{name}' names node '{node}', which this pipeline version does not have")

    def nodes_to_run(self, plan: Plan) -> list[str]:
        """The nodes that get a step in this run, in plan order."""
        if self.up_to is None:
            return list(plan.order)
        wanted = _with(plan.ancestors, steps_of(self.up_to, plan.order))
        return [node for node in plan.order if node in wanted]

    def reuse_off(self, plan: Plan) -> frozenset[str]:
        """The nodes that must run even when their outputs are cached."""
        if self.regenerate:
            return frozenset(plan.order)
        if self.from_node is not None:
            return _with(plan.descendants, steps_of(self.from_node, plan.order))
        return frozenset()


def _with(reach: Callable[[str], frozenset[str]], steps: frozenset[str]) -> frozenset[str]:
    """`steps` and all they reach (their ancestors or descendants)."""
    return steps.union(*(reach(step) for step in steps))
