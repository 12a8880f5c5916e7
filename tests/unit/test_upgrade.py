"""Upgrading a node to another version of its module: listed changes, and refusals that say why."""

from modules.custom import spec_from_json
from modules.registry import build_registry
from modules.upgrade import upgrade_check

REGISTRY = build_registry()
PORT_TYPES = [port_type.name for port_type in REGISTRY.port_types()]


def version(number, inputs=None, outputs=None, parameters=None, description="Scales x."):
    inputs = inputs if inputs is not None else [{"name": "dataset", "type": "table"}]
    outputs = outputs if outputs is not None else [{"name": "result", "type": "table"}]
    parameters = parameters if parameters is not None else [{"name": "factor", "kind": "float", "default": 2}]
    names = [port["name"] for port in inputs] + [parameter["name"] for parameter in parameters]
    document = {
        "name": "scale",
        "version": str(number),
        "display_name": "Scale",
        "category": "Mine",
        "description": description,
        "inputs": inputs,
        "outputs": outputs,
        "parameters": parameters,
    }
    return spec_from_json(document, f"def main({', '.join(names)}):\n    return None\n", PORT_TYPES)


def check(current, target, parameters=None, inputs=None, outputs=None):
    connected_inputs = {"dataset": "table"} if inputs is None else inputs
    connected_outputs = {"result": ["table"]} if outputs is None else outputs
    return upgrade_check(current, target, parameters or {}, connected_inputs, connected_outputs, REGISTRY.compatible)


def test_an_unchanged_interface_upgrades_with_nothing_to_report_but_the_description():
    result = check(version(1), version(2, description="Scales x, faster."), {"factor": 3})
    assert result.allowed
    assert result.changes == ["the description changed"]
    assert result.parameters == {"factor": 3}


def test_added_ports_and_parameters_are_listed_and_new_parameters_take_their_defaults():
    target = version(
        2,
        inputs=[{"name": "dataset", "type": "table"}, {"name": "extra", "type": "table", "optional": True}],
        outputs=[{"name": "result", "type": "table"}, {"name": "report", "type": "evaluation"}],
        parameters=[{"name": "factor", "kind": "float", "default": 2}, {"name": "offset", "kind": "int", "default": 1}],
    )
    result = check(version(1), target, {"factor": 3})
    assert result.allowed
    assert result.changes == ["new input 'extra' (table)", "new output 'report' (evaluation)", "new parameter 'offset'"]
    assert result.parameters == {"factor": 3, "offset": 1}


def test_a_connected_input_that_disappears_is_refused():
    target = version(2, inputs=[{"name": "table", "type": "table"}], parameters=[{"name": "factor", "kind": "float"}])
    result = check(version(1), target)
    assert not result.allowed
    assert result.refusals == ["input 'dataset' is connected, but version 2 has no such input"]
    assert "new input 'table' (table); connect it before running" in result.changes


def test_an_unconnected_port_may_disappear():
    target = version(2, inputs=[], parameters=[{"name": "factor", "kind": "float"}])
    result = check(version(1), target, inputs={})
    assert result.allowed and "input 'dataset' is removed" in result.changes


def test_a_connected_port_whose_new_type_does_not_fit_is_refused():
    target = version(2, outputs=[{"name": "result", "type": "evaluation"}])
    result = check(version(1), target)
    assert result.refusals == ["output 'result' now gives evaluation, which a connected input does not take"]


def test_a_set_parameter_that_disappears_or_no_longer_parses_is_refused():
    dropped = check(version(1), version(2, parameters=[]), {"factor": 3})
    assert dropped.refusals == ["parameter 'factor' is set to 3, but version 2 drops it"]

    narrowed = version(2, parameters=[{"name": "factor", "kind": "float", "default": 1, "maximum": 1}])
    tightened = check(version(1), narrowed, {"factor": 3})
    assert tightened.refusals == ["parameter 'factor' = 3 no longer fits: must be at most 1, got 3.0"]


def test_a_parameter_left_at_its_default_may_disappear():
    result = check(version(1), version(2, parameters=[]), {"factor": 2})
    assert result.allowed and result.changes == ["parameter 'factor' is removed"]
    assert result.parameters == {}
