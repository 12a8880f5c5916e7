from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "designer.datasets"
    label = "datasets"

    def ready(self) -> None:
        from designer.datasets.datasets import dataset_artifact_digests
        from designer.datasets.store_access import StoreDataAccess
        from modules.data_access import configure_data_access
        from runner.housekeeping import root_provider_register

        # Import Data reads dataset tables from the store; forked step processes inherit this.
        configure_data_access(StoreDataAccess())
        # Dataset versions' tables are never garbage, and count in their workspace's store size.
        root_provider_register("datasets", dataset_artifact_digests)
