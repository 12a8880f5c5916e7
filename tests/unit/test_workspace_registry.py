"""A workspace's registry: the installation's modules plus its own, with disabled versions refused."""

from designer.pipelines.graph import read_graph, validate
from modules.custom import spec_from_json
from modules.registry import build_registry
from tests.gallery import SCALE_CODE, scale_spec
from tests.graphs import GraphBuilder


def test_an_extended_registry_adds_modules_without_changing_the_one_it_came_from(registry):
    extended = registry.extended()
    port_types = [port_type.name for port_type in registry.port_types()]
    extended.register(spec_from_json(scale_spec(version="1"), SCALE_CODE, port_types))
    extended.annotate("scale", "1", source="workspace", status="active")

    assert extended.get("scale").key == "scale@1"
    assert "scale" not in {spec.name for spec in registry.all()}
    entry = next(spec for spec in extended.catalog()["modules"] if spec["name"] == "scale")
    assert (entry["source"], entry["status"]) == ("workspace", "active")
    assert next(spec for spec in registry.catalog()["modules"] if spec["name"] == "split_data")["source"] == "builtin"


def test_a_refused_version_keeps_its_ports_and_is_a_problem_on_the_node():
    registry = build_registry().extended()
    port_types = [port_type.name for port_type in registry.port_types()]
    registry.register(spec_from_json(scale_spec(version="1"), SCALE_CODE, port_types))
    registry.refuse("scale", "1", "Scale version 1 is disabled (by olivia): wrong factor")
    graph = read_graph(
        GraphBuilder()
        .node("load", "sample_dataset", dataset="iris")
        .node("scale", "scale")
        .edge("load.dataset", "scale.dataset")
        .build()
    )

    problems = validate(graph, registry)

    assert [(p.code, p.node, p.message) for p in problems] == [
        ("disabled_module", "scale", "Scale version 1 is disabled (by olivia): wrong factor")
    ]
