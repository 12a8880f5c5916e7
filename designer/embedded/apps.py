from django.apps import AppConfig


class EmbeddedConfig(AppConfig):
    name = "designer.embedded"
    label = "embedded"
