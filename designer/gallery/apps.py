from django.apps import AppConfig


class GalleryConfig(AppConfig):
    name = "designer.gallery"
    label = "gallery"

    def ready(self) -> None:
        from django.conf import settings

        from designer.gallery.publishing import bundle_digests
        from modules.archives import ArchiveLimits, set_default_limits
        from runner.housekeeping import root_provider_register

        # Forked steps inherit these, so a script bundle is held to the same limits as an upload.
        set_default_limits(ArchiveLimits(settings.ARCHIVE_MAX_MEMBERS, settings.ARCHIVE_MAX_BYTES))
        # Published versions' helper files are never garbage (decisions/0006-workspace-modules.md).
        root_provider_register("module bundles", bundle_digests)
