import django.db.models.deletion
from django.db import migrations, models
from django.utils.text import slugify


def fill_slugs(apps, schema_editor):
    Workspace = apps.get_model("workspaces", "Workspace")
    taken = set()
    for workspace in Workspace.objects.order_by("id"):
        base = slugify(workspace.name)[:50] or "workspace"
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        workspace.slug = slug
        workspace.save(update_fields=["slug"])


class Migration(migrations.Migration):

    dependencies = [
        ("workspaces", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="workspace",
            name="slug",
            field=models.CharField(max_length=60, null=True),  # indexed once filled, below
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="workspace",
            name="slug",
            field=models.SlugField(max_length=60, unique=True),
        ),
        migrations.CreateModel(
            name="ComputeTarget",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.SlugField(max_length=60)),
                ("description", models.CharField(blank=True, default="", max_length=500)),
                ("timeout_seconds", models.FloatField(blank=True, null=True)),
                ("cpu_seconds", models.PositiveIntegerField(blank=True, null=True)),
                ("memory_mb", models.PositiveIntegerField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "workspace",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="compute_targets",
                        to="workspaces.workspace",
                    ),
                ),
            ],
            options={
                "ordering": ["workspace", "name"],
                "constraints": [
                    models.UniqueConstraint(fields=("workspace", "name"), name="one_target_name_per_workspace")
                ],
            },
        ),
    ]
