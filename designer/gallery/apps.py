from django.apps import AppConfig


class GalleryConfig(AppConfig):
    name = "designer.gallery"
    label = "gallery"

    def ready(self) -> None:
        from django.conf import settings

        from modules.archives import ArchiveLimits, set_default_limits

        # Forked steps inherit these, so a script bundle is held to the same limits as an upload.
        set_default_limits(ArchiveLimits(settings.ARCHIVE_MAX_MEMBERS, settings.ARCHIVE_MAX_BYTES))
