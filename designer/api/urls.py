from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from designer.api import compute, datasets, gallery, storage, views

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("me/", views.MeView.as_view()),
    path("catalog/", views.CatalogView.as_view()),
    path("workspaces/", views.WorkspaceListView.as_view()),
    path("workspaces/<int:workspace_id>/members/", views.MemberListView.as_view()),
    path("workspaces/<int:workspace_id>/members/<str:username>/", views.MemberDetailView.as_view()),
    path("workspaces/<int:workspace_id>/pipelines/", views.PipelineListView.as_view()),
    path("workspaces/<int:workspace_id>/storage/", storage.WorkspaceStorageView.as_view()),
    path("workspaces/<int:workspace_id>/retention/", storage.WorkspaceRetentionView.as_view()),
    path("workspaces/<int:workspace_id>/modules/", gallery.ModuleListView.as_view()),
    path("workspaces/<int:workspace_id>/modules/upload/", gallery.PackageUploadView.as_view()),
    path("workspaces/<int:workspace_id>/modules/<str:name>/", gallery.ModuleDetailView.as_view()),
    path(
        "workspaces/<int:workspace_id>/modules/<str:name>/versions/<str:version>/",
        gallery.VersionStatusView.as_view(),
    ),
    path("workspaces/<int:workspace_id>/upgrade-check/", gallery.UpgradeCheckView.as_view()),
    path("workspaces/<int:workspace_id>/compute-targets/", compute.TargetListView.as_view()),
    path("workspaces/<int:workspace_id>/compute-targets/<str:name>/", compute.TargetDetailView.as_view()),
    path("pipelines/<int:pipeline_id>/", views.PipelineDetailView.as_view()),
    path("pipelines/<int:pipeline_id>/draft/", views.DraftView.as_view()),
    path("pipelines/<int:pipeline_id>/validate/", views.ValidateView.as_view()),
    path("pipelines/<int:pipeline_id>/runs/", views.RunListView.as_view()),
    path("runs/<int:run_id>/", views.RunDetailView.as_view()),
    path("runs/<int:run_id>/retry/", views.RunRetryView.as_view()),
    path("runs/<int:run_id>/cancel/", views.RunCancelView.as_view()),
    path("runs/<int:run_id>/keep/", storage.RunKeepView.as_view()),
    path("runs/<int:run_id>/steps/<str:node_id>/log/", views.StepLogView.as_view()),
    path("runs/<int:run_id>/steps/<str:node_id>/outputs/<str:port>/preview/", views.OutputPreviewView.as_view()),
    path(
        "runs/<int:run_id>/steps/<str:node_id>/outputs/<str:port>/download/<str:file_format>/",
        datasets.OutputDownloadView.as_view(),
    ),
    path("workspaces/<int:workspace_id>/datasets/", datasets.DatasetListView.as_view()),
    path("datasets/<int:dataset_id>/", datasets.DatasetDetailView.as_view()),
    path("datasets/<int:dataset_id>/versions/", datasets.DatasetVersionListView.as_view()),
    path("datasets/<int:dataset_id>/versions/<str:digest>/preview/", datasets.DatasetVersionPreviewView.as_view()),
    path(
        "datasets/<int:dataset_id>/versions/<str:digest>/download/<str:file_format>/",
        datasets.DatasetVersionDownloadView.as_view(),
    ),
]
