"""The plan, driven by hand on a diamond: source -> (left, right) -> join, plus a lone node."""

from designer.pipelines.graph import read_graph
from runner.plan import CACHED, CANCELED, COMPLETED, FAILED, PENDING, QUEUED, RUNNING, SKIPPED, Plan


def diamond() -> Plan:
    def node(node_id: str) -> dict[str, object]:
        return {"id": node_id, "module": "pass_through", "version": "1"}

    def edge(source: str, target: str, port: str = "dataset") -> dict[str, object]:
        return {"source": {"node": source, "port": "dataset"}, "target": {"node": target, "port": port}}

    document = {
        "format_version": 2,
        "nodes": [node("join"), node("left"), node("right"), node("source"), node("lone")],
        "edges": [
            edge("source", "left"),
            edge("source", "right"),
            edge("left", "join", "a"),
            edge("right", "join", "b"),
        ],
    }
    return Plan.from_graph(read_graph(document))


def fresh(plan: Plan, **statuses: str) -> dict[str, str]:
    return {node: statuses.get(node, PENDING) for node in plan.order}


def test_order_puts_every_step_after_its_upstream() -> None:
    plan = diamond()
    position = {node: index for index, node in enumerate(plan.order)}
    assert position["source"] < position["left"] < position["join"]
    assert position["source"] < position["right"] < position["join"]
    assert plan.upstream["join"] == {"left", "right"}
    assert [edge.target_port for edge in plan.inputs["join"]] == ["a", "b"]


def test_at_first_only_steps_without_upstream_are_ready() -> None:
    plan = diamond()
    assert sorted(plan.ready(fresh(plan))) == ["lone", "source"]


def test_finishing_the_source_readies_both_branches() -> None:
    plan = diamond()
    statuses = fresh(plan, source=COMPLETED, lone=RUNNING)
    assert plan.ready(statuses) == ["left", "right"]


def test_join_waits_for_both_branches() -> None:
    plan = diamond()
    assert plan.ready(fresh(plan, source=COMPLETED, left=COMPLETED, right=RUNNING, lone=COMPLETED)) == []
    assert plan.ready(fresh(plan, source=COMPLETED, left=COMPLETED, right=COMPLETED, lone=COMPLETED)) == ["join"]


def test_queued_and_running_steps_are_not_ready_again() -> None:
    plan = diamond()
    assert plan.ready(fresh(plan, source=QUEUED, lone=RUNNING)) == []


def test_a_failed_branch_skips_the_join_but_not_the_other_branch() -> None:
    plan = diamond()
    statuses = fresh(plan, source=COMPLETED, left=FAILED, right=RUNNING, lone=COMPLETED)
    assert plan.to_skip(statuses) == ["join"]
    assert plan.ready(statuses) == []
    assert plan.outcome(statuses) is None  # right is still running


def test_a_failed_source_skips_everything_below_it() -> None:
    plan = diamond()
    statuses = fresh(plan, source=FAILED, lone=RUNNING)
    assert sorted(plan.to_skip(statuses)) == ["join", "left", "right"]


def test_skips_propagate_through_skipped_steps() -> None:
    plan = diamond()
    statuses = fresh(plan, source=COMPLETED, left=SKIPPED, right=COMPLETED)
    assert plan.to_skip(statuses) == ["join"]


def test_outcome_is_completed_when_every_step_completed() -> None:
    plan = diamond()
    done = {node: COMPLETED for node in plan.order}
    assert plan.outcome(done) == COMPLETED
    assert plan.outcome({**done, "join": QUEUED}) is None


def test_outcome_is_failed_once_a_failure_has_settled() -> None:
    plan = diamond()
    statuses = {"source": COMPLETED, "left": FAILED, "right": COMPLETED, "join": SKIPPED, "lone": COMPLETED}
    assert plan.to_skip(statuses) == []
    assert plan.outcome(statuses) == FAILED


def test_an_empty_graph_is_finished_at_once() -> None:
    plan = Plan.from_graph(read_graph({"format_version": 2, "nodes": [], "edges": []}))
    assert plan.ready({}) == []
    assert plan.outcome({}) == COMPLETED


def test_cached_steps_count_as_done_for_their_successors() -> None:
    plan = diamond()
    statuses = fresh(plan, source=CACHED, left=CACHED, right=COMPLETED, lone=CACHED)
    assert plan.ready(statuses) == ["join"]
    assert plan.outcome({node: CACHED for node in plan.order}) == COMPLETED


def test_a_canceled_step_skips_what_depends_on_it_and_the_run_ends_canceled() -> None:
    plan = diamond()
    statuses = fresh(plan, source=COMPLETED, left=CANCELED, right=COMPLETED, lone=COMPLETED)
    assert plan.to_skip(statuses) == ["join"]
    assert plan.outcome({**statuses, "join": SKIPPED}) == CANCELED
    assert plan.outcome({**statuses, "join": SKIPPED, "right": FAILED}) == FAILED


def test_ancestors_and_descendants_follow_edges_transitively() -> None:
    plan = diamond()
    assert plan.ancestors("join") == {"source", "left", "right"}
    assert plan.ancestors("source") == set()
    assert plan.descendants("source") == {"left", "right", "join"}
    assert plan.descendants("left") == {"join"}


def test_a_restricted_plan_knows_only_its_nodes() -> None:
    plan = diamond().restricted_to({"source", "left"})
    assert plan.order == ("source", "left")
    assert plan.upstream["left"] == {"source"} and plan.downstream["source"] == {"left"}
    assert plan.ready({"source": COMPLETED, "left": PENDING}) == ["left"]
    assert plan.outcome({"source": COMPLETED, "left": COMPLETED}) == COMPLETED
