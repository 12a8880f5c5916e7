"""Request validation and the JSON shapes of workspaces and pipelines."""

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import serializers

from designer.pipelines.models import Pipeline
from designer.workspaces.models import Role


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


def workspace_json(workspace: Any, role: Role) -> dict[str, Any]:
    return {"id": workspace.pk, "name": workspace.name, "role": role.value}


def pipeline_summary_json(pipeline: Pipeline) -> dict[str, Any]:
    latest = pipeline.versions.order_by("-number").values_list("number", flat=True).first()
    return {
        "id": pipeline.pk,
        "name": pipeline.name,
        "workspace": pipeline.workspace_id,
        "draft_revision": pipeline.draft_revision,
        "latest_version": latest,
        "updated_at": pipeline.updated_at.isoformat(),
    }
