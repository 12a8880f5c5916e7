"""The artifact store this installation uses, as its settings describe it."""

from django.conf import settings

from runner.artifacts import ArtifactStore


def artifact_store() -> ArtifactStore:
    """The store at TRELLIS_ARTIFACT_DIR, flushing to disk when TRELLIS_ARTIFACT_FSYNC is on."""
    return ArtifactStore(settings.ARTIFACT_DIR, fsync=settings.ARTIFACT_FSYNC)
