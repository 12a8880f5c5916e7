"""Request validation and the JSON shapes of workspaces and pipelines."""

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import serializers

from designer.pipelines.models import Pipeline
from designer.workspaces.models import Role
from runner.options import RunOptions


class NameSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200, trim_whitespace=True)


class PipelineCreateSerializer(NameSerializer):
    graph = serializers.JSONField(required=False, help_text="A graph document; an empty graph when left out.")


class MemberWriteSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)

    def validate_username(self, username: str) -> Any:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise serializers.ValidationError(f"no user named '{username}'")
        return user


class RoleSerializer(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=Role.choices)


class DraftWriteSerializer(serializers.Serializer[Any]):
    graph = serializers.JSONField()
    revision = serializers.IntegerField(min_value=0, help_text="The draft revision this edit was based on.")


class RunRequestSerializer(serializers.Serializer[Any]):
    """The optional body of "run the draft"; every key may be left out."""

    regenerate = serializers.BooleanField(default=False, help_text="Run every step; reuse nothing from the cache.")
    up_to = serializers.CharField(
        required=False, allow_null=True, default=None, help_text="Run only this node and its ancestors."
    )
    continue_on_failure = serializers.BooleanField(default=False)
    parameters = serializers.DictField(
        child=serializers.JSONField(),
        default=dict,
        help_text="Values of the pipeline parameters, by name; defaults fill the rest.",
    )

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        # "from" is a Python keyword, so it cannot be declared as a class attribute.
        fields["from"] = serializers.CharField(
            required=False, allow_null=True, default=None, help_text="Run this node and everything downstream again."
        )
        return fields

    def options(self) -> RunOptions:
        data = self.validated_data
        return RunOptions(
            regenerate=data["regenerate"],
            up_to=data["up_to"],
            from_node=data["from"],
            continue_on_failure=data["continue_on_failure"],
        )


def workspace_json(workspace: Any, role: Role) -> dict[str, Any]:
    return {"id": workspace.pk, "name": workspace.name, "slug": workspace.slug, "role": role.value}


def pipeline_summary_json(pipeline: Pipeline) -> dict[str, Any]:
    latest = pipeline.versions.order_by("-number").values_list("number", flat=True).first()
    return {
        "id": pipeline.pk,
        "name": pipeline.name,
        "workspace": pipeline.workspace_id,
        "draft_revision": pipeline.draft_revision,
        "latest_version": latest,
        "updated_at": pipeline.updated_at.isoformat(),
        "deleted_at": pipeline.deleted_at.isoformat() if pipeline.deleted_at else None,
    }
