"""Problems a graph has in its workspace: datasets it names that are not there, a source left unset.

The pure validation (designer/pipelines/graph.py) cannot know a workspace's datasets. These
checks run beside it wherever a draft is saved, validated or recorded as a version, so a run
never starts with a dataset of another workspace: Import Data reads the store by digest, and a
digest must not be a way into data its workspace cannot see.
"""

from collections.abc import Iterator

from designer.datasets.models import Dataset, DatasetKind, DatasetVersion
from designer.pipelines.catalog import module_registry
from designer.pipelines.graph import Graph, Node, Problem
from modules.builtin.import_export import FROM_DATASET, FROM_URL, TO_DATASET, dataset_name_problem
from modules.ports import ZIP
from modules.registry import ModuleNotFound
from modules.spec import ModuleSpec, ParameterError


def dataset_problems(graph: Graph, workspace_id: int) -> list[Problem]:
    """Every dataset parameter naming what the workspace lacks, and every data source left unset."""
    problems: list[Problem] = []
    for node in graph.nodes:
        try:
            spec = module_registry().get(node.module, node.version)
        except ModuleNotFound:
            continue  # reported by validate()
        problems += _dataset_references(node, spec, workspace_id)
        problems += _unset_sources(node, spec)
    return problems


def _dataset_references(node: Node, spec: ModuleSpec, workspace_id: int) -> Iterator[Problem]:
    dataset: Dataset | None = None
    for parameter in spec.parameters:
        try:
            value = parameter.parse(node.parameters.get(parameter.name))
        except ParameterError:
            continue  # reported by validate()
        if value is None:
            continue
        if parameter.kind == "dataset":
            dataset = Dataset.objects.filter(pk=value, workspace_id=workspace_id).first()
            if dataset is None:
                yield Problem(
                    "unknown_dataset",
                    f"{parameter.label}: this workspace has no dataset {value}",
                    node=node.id,
                    parameter=parameter.name,
                )
            else:
                yield from _kind_mismatch(node, spec, dataset, parameter.name)
        elif parameter.kind == "dataset_version" and not _is_version(value, dataset, workspace_id):
            owner = f"dataset {dataset.name}" if dataset else "any dataset of this workspace"
            yield Problem(
                "unknown_dataset_version",
                f"{parameter.label}: {value[:12]}… is not a version of {owner}",
                node=node.id,
                parameter=parameter.name,
            )


def _kind_mismatch(node: Node, spec: ModuleSpec, dataset: Dataset, parameter: str) -> Iterator[Problem]:
    """A zip dataset on a node that reads tables (Import Data), or a table dataset on Zip Dataset."""
    wanted = DatasetKind.ZIP if any(port.type == ZIP.name for port in spec.outputs) else DatasetKind.TABLE
    held = dataset.versions.values_list("kind", flat=True).first()
    if held is None or held == wanted:
        return
    other = "Zip Dataset" if held == DatasetKind.ZIP else "Import Data"
    message = (
        f"Dataset: {dataset.name} holds {DatasetKind(held).label.lower()}s, and {spec.display_name or spec.name} "
        f"reads {DatasetKind(wanted).label.lower()}s: use {other} for it"
    )
    yield Problem("dataset_kind_mismatch", message, node=node.id, parameter=parameter)


def _is_version(digest: str, dataset: Dataset | None, workspace_id: int) -> bool:
    versions = DatasetVersion.objects.filter(artifact_id=digest, dataset__workspace_id=workspace_id)
    return versions.filter(dataset=dataset).exists() if dataset else versions.exists()


def _unset_sources(node: Node, spec: ModuleSpec) -> Iterator[Problem]:
    """Import Data needs a dataset and version, or a URL; Export Data to a dataset needs its name."""
    parameters = node.parameters
    if spec.name == "import_data":
        source = parameters.get("source") or FROM_DATASET
        for parameter in spec.parameters:
            wanted = ("dataset", "dataset_version") if source == FROM_DATASET else ("url",)
            if parameter.name in wanted and parameters.get(parameter.name) in (None, ""):
                message = f"{parameter.label}: a value is required when the source is {source}"
                yield Problem("missing_parameter", message, node=node.id, parameter=parameter.name)
        url = parameters.get("url")
        if source == FROM_URL and url and not str(url).lower().startswith(("http://", "https://")):
            message = "URL: must start with http:// or https://"
            yield Problem("invalid_parameter", message, node=node.id, parameter="url")
    if spec.name == "export_data" and (parameters.get("destination") or TO_DATASET) == TO_DATASET:
        name = parameters.get("dataset_name")
        problem = dataset_name_problem(name)
        if problem:
            code = "invalid_parameter" if name else "missing_parameter"
            yield Problem(code, f"Dataset name: {problem}", node=node.id, parameter="dataset_name")
