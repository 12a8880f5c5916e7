"""Every built-in module has a reference page, and each page says what its spec says."""

from modules.docs import PAGES_DIR, builtin_pages
from modules.registry import build_registry


def test_every_builtin_module_page_is_committed_and_current():
    pages = builtin_pages(build_registry())
    assert len(pages) >= 12
    stale = [
        name
        for name, text in pages.items()
        if not (PAGES_DIR / name).exists() or (PAGES_DIR / name).read_text() != text
    ]
    assert stale == [], f"run `python -m modules.docs` to rewrite: {stale}"


def test_a_page_is_titled_with_the_display_name_and_lists_ports_and_parameters():
    page = builtin_pages(build_registry())["clean-missing-data.md"]
    assert page.startswith("# Clean Missing Data\n")
    assert "| `transformation` | transformation | Cleaning transformation. |" in page
    assert "| `cleaning_mode` | choice | `mean` | one of `custom_value`, `mean`, `median`" in page


def test_modules_from_packages_get_no_page():
    pages = builtin_pages(build_registry(["tests.fixture_modules"]))
    assert "fail.md" not in pages and "sleep.md" not in pages
