from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "designer.datasets"
    label = "datasets"

    def ready(self) -> None:
        from designer.datasets.store_access import StoreDataAccess
        from modules.data_access import configure_data_access

        # Import Data reads dataset tables from the store; forked step processes inherit this.
        configure_data_access(StoreDataAccess())
