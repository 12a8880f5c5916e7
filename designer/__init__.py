"""The Trellis web side: Django project, workspaces, pipelines, API, live updates and pages."""
