"""The in-step API: what log_metric, log_table, log_image and report_progress check and write."""

import json
import struct
import sys
import zlib

import pandas as pd
import pytest

from modules import step_api
from modules.spec import ModuleError
from modules.step_api import (
    EVENTS_FILE,
    log_image,
    log_metric,
    log_table,
    report_progress,
    step_api_namespace,
    step_channel,
)


def tiny_png() -> bytes:
    """A real PNG of one pixel, built by hand."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0\xff\0\0")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def events(folder) -> list[dict]:
    return [json.loads(line) for line in (folder / EVENTS_FILE).read_text().splitlines()]


def test_a_step_logs_metrics_a_series_and_its_progress(tmp_path):
    with step_channel(tmp_path):
        log_metric("accuracy", 0.91)
        for epoch, loss in enumerate([0.9, 0.5, 0.3]):
            log_metric("loss", loss, step=epoch)
        report_progress(3, 3)

    logged = events(tmp_path)
    assert [(e["name"], e["value"], e["step"]) for e in logged if e["kind"] == "metric"] == [
        ("accuracy", 0.91, None),
        ("loss", 0.9, 0),
        ("loss", 0.5, 1),
        ("loss", 0.3, 2),
    ]
    assert logged[-1] == {"kind": "progress", "done": 3, "total": 3}


@pytest.mark.parametrize(
    ("name", "value", "step", "message"),
    [
        ("", 1.0, None, "metric name '' is not valid"),
        ("a" * 101, 1.0, None, "is not valid"),
        (3, 1.0, None, "metric name 3 is not valid"),
        ("auc", float("nan"), None, "metric 'auc' must be a finite number, got nan"),
        ("auc", float("inf"), None, "metric 'auc' must be a finite number"),
        ("auc", "0.5", None, "metric 'auc' must be a number, got str"),
        ("auc", True, None, "metric 'auc' must be a number, got bool"),
        ("auc", 0.5, -1, "the step of metric 'auc' must be a whole number of 0 or more"),
        ("auc", 0.5, 1.5, "the step of metric 'auc' must be a whole number"),
    ],
)
def test_a_bad_metric_is_refused_with_its_name(tmp_path, name, value, step, message):
    with step_channel(tmp_path), pytest.raises(ModuleError, match=message.replace("(", r"\(")):
        log_metric(name, value, step)
    assert (tmp_path / EVENTS_FILE).read_text() == ""


def test_numpy_numbers_are_numbers(tmp_path):
    np = pytest.importorskip("numpy")
    with step_channel(tmp_path):
        log_metric("rmse", np.float32(1.5), step=np.int64(2))
    assert events(tmp_path)[0]["value"] == 1.5 and events(tmp_path)[0]["step"] == 2


def test_progress_must_fit_its_total_and_is_written_at_most_every_quarter_second(tmp_path):
    with pytest.raises(ModuleError, match="progress 5 of 3"):
        report_progress(5, 3)
    with pytest.raises(ModuleError, match="total ≥ 1"):
        report_progress(0, 0)
    with step_channel(tmp_path):
        for done in range(1000):
            report_progress(done, 1000)
    written = [(e["done"], e["total"]) for e in events(tmp_path)]
    assert written[0] == (0, 1000)
    assert written[-1] == (999, 1000)  # the last one said is written when the step ends
    assert len(written) < 10


def test_a_table_and_an_image_are_written_beside_the_events(tmp_path):
    table = pd.DataFrame({0: range(5000), "b": ["x"] * 5000})
    with step_channel(tmp_path):
        log_table("predictions", table)
        log_image("roc curve", tiny_png())

    table_event, image_event = events(tmp_path)
    assert table_event["kind"] == "table" and table_event["rows"] == 5000
    kept = pd.read_parquet(tmp_path / table_event["file"])
    assert len(kept) == step_api.MAX_TABLE_ROWS and list(kept.columns) == ["0", "b"]
    assert image_event["kind"] == "image"
    assert (tmp_path / image_event["file"]).read_bytes() == tiny_png()


def test_an_image_is_png_bytes_or_a_figure(tmp_path):
    class Figure:  # what log_image asks of a matplotlib figure: savefig(file, format="png")
        def savefig(self, file, format):
            assert format == "png"
            file.write(tiny_png())

    with step_channel(tmp_path):
        log_image("figure", Figure())
        with pytest.raises(ModuleError, match="image 'jpeg' is not a PNG image"):
            log_image("jpeg", b"\xff\xd8\xff")
        with pytest.raises(ModuleError, match="image 'text' must be PNG bytes or a matplotlib figure, got str"):
            log_image("text", "a picture")
        with pytest.raises(ModuleError, match="table 'numbers' must be a pandas DataFrame, got list"):
            log_table("numbers", [1, 2])
    assert [e["name"] for e in events(tmp_path)] == ["figure"]


def test_metrics_past_the_limit_are_dropped_with_one_warning(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(step_api, "MAX_METRICS", 3)
    with step_channel(tmp_path):
        for value in range(5):
            log_metric("loss", value, step=value)
    assert [e["value"] for e in events(tmp_path)] == [0, 1, 2]
    assert capsys.readouterr().err.count("only the first 3 of this step are kept") == 1


def test_outside_a_step_the_calls_check_and_keep_nothing(tmp_path):
    log_metric("accuracy", 0.5)
    report_progress(1, 2)
    with pytest.raises(ModuleError, match="metric 'accuracy' must be a finite number"):
        log_metric("accuracy", float("nan"))
    assert list(tmp_path.iterdir()) == []


def test_user_code_finds_the_api_in_its_namespace_and_as_the_trellis_module(tmp_path):
    namespace = step_api_namespace()
    code = "from trellis import log_metric as imported\nlog_metric('a', 1)\nimported('b', 2)\n"
    with step_channel(tmp_path):
        exec(compile(code, "user.py", "exec"), namespace)
    assert [e["name"] for e in events(tmp_path)] == ["a", "b"]
    assert sys.modules["trellis"].report_progress is report_progress
