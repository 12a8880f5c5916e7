from django.apps import AppConfig


class RunnerConfig(AppConfig):
    name = "runner"

    def ready(self) -> None:
        from runner.housekeeping import root_provider_register
        from runner.step_report import attachment_digests

        root_provider_register("logged tables and images", attachment_digests)
