"""The CLI contract shared by every command: JSON out, exit 2 with one stderr line on bad input."""

from __future__ import annotations

import json
from pathlib import Path

# The six HJHS joints and eight items of the CLI contract (issue 2).
HJHS_JOINTS = ["left_elbow", "right_elbow", "left_knee", "right_knee", "left_ankle", "right_ankle"]
HJHS_ITEMS = ["swelling", "swelling_duration", "muscle_atrophy", "crepitus",
              "flexion_loss", "extension_loss", "joint_pain", "strength"]  # fmt: skip
EXPECTED_CODES = {"hjhs", "head_us", "head_us_c", "pocus", "choklat", "pettersson", "fish"}


def healthy_hjhs() -> dict[str, object]:
    return {"joints": {joint: dict.fromkeys(HJHS_ITEMS, 0) for joint in HJHS_JOINTS}, "gait": 0}


def test_instruments_lists_every_code_with_status_and_source(run_cli) -> None:
    result = run_cli("instruments")
    assert result.code == 0
    listed = {entry["code"]: entry for entry in result.json()}
    assert set(listed) >= EXPECTED_CODES
    assert listed["hjhs"]["status"] == "verified"
    assert listed["head_us_c"]["status"] == "provisional"  # REFERENCE.md: point values provisional
    assert listed["choklat"]["status"] == "provisional"  # REFERENCE.md: scoring provisional
    assert all(entry["source"] and entry["version"] for entry in listed.values())


def test_out_of_range_item_names_field_value_and_range(run_cli, write_json) -> None:
    data = healthy_hjhs()
    data["joints"]["left_knee"]["swelling"] = 4  # type: ignore[index]
    result = run_cli("score", "hjhs", write_json(data))
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr == "error: left_knee.swelling: 4 is outside 0-3\n"


def test_unknown_instrument_lists_the_codes(run_cli, write_json) -> None:
    result = run_cli("score", "hjhs3", write_json({}))
    assert result.code == 2
    assert result.stderr.startswith("error: instrument: 'hjhs3' is not one of hjhs, ")
    assert result.stdout == ""


def test_missing_file_is_one_line(run_cli, tmp_path: Path) -> None:
    result = run_cli("score", "hjhs", str(tmp_path / "nope.json"))
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == f"error: {tmp_path / 'nope.json'}: no such file\n"


def test_invalid_json_names_line_and_column(run_cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"joints": {\n  "left_knee": }', encoding="utf-8")
    result = run_cli("score", "hjhs", str(broken))
    assert (result.code, result.stdout) == (2, "")
    assert "broken.json: not valid JSON (Expecting value at line 2 column 16)" in result.stderr
    assert result.stderr.count("\n") == 1


def test_usage_error_is_one_line_exit_2(run_cli) -> None:
    result = run_cli("score")
    assert result.code == 2
    assert result.stderr.count("\n") == 1


def test_console_script_reads_stdin_and_prints_json(run_console_script) -> None:
    result = run_console_script("score", "hjhs", "-", stdin=json.dumps(healthy_hjhs()))
    assert result.code == 0, result.stderr
    assert result.json()["total"] == 0  # all items 0 and gait 0 -> total 0 (HJHS 2.1 sum rule)


def test_console_script_bad_input_has_no_traceback(run_console_script) -> None:
    data = healthy_hjhs()
    data["gait"] = 5  # gait is 0-4 (REFERENCE.md HJHS 2.1)
    result = run_console_script("score", "hjhs", "-", stdin=json.dumps(data))
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr == "error: gait: 5 is outside 0-4\n"
