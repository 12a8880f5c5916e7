from django.contrib.auth import views as auth_views
from django.urls import path

from designer.web import views

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.shell, name="home"),
    path("workspaces/<int:workspace_id>/", views.shell, name="workspace"),
    path("workspaces/<int:workspace_id>/members/", views.shell, name="workspace-members"),
    path("workspaces/<int:workspace_id>/modules/", views.shell, name="workspace-modules"),
    path("workspaces/<int:workspace_id>/compute/", views.shell, name="workspace-compute"),
    path("workspaces/<int:workspace_id>/datasets/", views.shell, name="workspace-datasets"),
    path("workspaces/<int:workspace_id>/datasets/<int:dataset_id>/", views.shell, name="dataset"),
    path("pipelines/<int:pipeline_id>/", views.shell, name="pipeline"),
    # Read-only views of a pipeline's history, drawn by the same single-page app.
    path("pipelines/<int:pipeline_id>/versions/<int:number>/", views.shell, name="pipeline-version"),
    path("pipelines/<int:pipeline_id>/compare/<str:base>/<str:head>/", views.shell, name="pipeline-compare"),
    path("pipelines/<int:pipeline_id>/runs/<int:run_id>/", views.shell, name="pipeline-run"),
    path("pipelines/<int:pipeline_id>/runs/<int:run_id>/compare/<int:other_id>/", views.shell, name="runs-compare"),
]
