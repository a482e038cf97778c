"""``hemojoint triage FILE``: JSON out on success, exit 2 and one stderr line on bad input.

Expected urgencies and suspects follow REFERENCE.md section 4 (see tests/domain/test_triage.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "triage"


@pytest.mark.parametrize(
    ("example", "urgency", "reason", "suspected"),
    [
        # Groin pain, flexed hip, pain on extension and thigh numbness: femoral nerve signs.
        ("groin_numbness.json", "emergency", "iliopsoas_with_femoral_nerve_signs",
         ["iliopsoas_bleed"]),
        # Hip pain that also hurts on rotation, no nerve signs: hip joint bleed.
        ("hip_joint_bleed.json", "urgent", "hip_joint_bleed_suspected", ["hip_joint_bleed"]),
        # Swollen, painful, warm ankle: joint bleed.
        ("ankle_bleed.json", "urgent", "joint_bleed_signs", ["joint_bleed"]),
    ],
    ids=["groin-numbness", "hip-joint", "ankle"],
)  # fmt: skip
def test_example_files(
    run_cli, example: str, urgency: str, reason: str, suspected: list[str]
) -> None:
    result = run_cli("triage", str(EXAMPLES / example))
    assert (result.code, result.stderr) == (0, "")
    output = result.json()
    assert set(output) == {"urgency", "reasons", "suspected", "advice", "disclaimer"}
    assert output["urgency"] == urgency
    assert [item["code"] for item in output["reasons"]] == [reason]
    assert output["reasons"][0]["urgency"] == urgency
    assert output["reasons"][0]["text"]
    assert output["suspected"] == suspected
    assert "does not replace" in output["disclaimer"]


def test_emergency_advice_says_factor_now_and_hospital(run_cli) -> None:
    result = run_cli("triage", str(EXAMPLES / "groin_numbness.json"))
    advice = result.json()["advice"].lower()
    assert "give factor now" in advice
    assert "go to hospital now" in advice


def test_unknown_finding_is_exit_2_one_line(run_cli, write_json) -> None:
    path = write_json({"site": "unknown", "findings": ["groin_pain", "vomiting", "headache"]})
    result = run_cli("triage", path)
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr.startswith("error: findings[2]: 'headache' is not one of groin_pain, ")
    assert result.stderr.endswith(", reduced_motion\n")
    assert result.stderr.count("\n") == 1


def test_unknown_site_is_exit_2_one_line(run_cli, write_json) -> None:
    result = run_cli("triage", write_json({"site": "left_toe", "findings": []}))
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr.startswith("error: site: 'left_toe' is not one of left_shoulder, ")
    assert result.stderr.endswith(", other, unknown\n")


def test_missing_file_is_exit_2(run_cli, tmp_path: Path) -> None:
    result = run_cli("triage", str(tmp_path / "nope.json"))
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == f"error: {tmp_path / 'nope.json'}: no such file\n"


def test_missing_argument_is_usage_error(run_cli) -> None:
    result = run_cli("triage")
    assert result.code == 2
    assert result.stderr.count("\n") == 1


def test_console_script_reads_stdin(run_console_script) -> None:
    report = {"site": "left_ankle", "findings": ["joint_swelling"]}
    result = run_console_script("triage", "-", stdin=json.dumps(report))
    assert result.code == 0, result.stderr
    assert result.json()["urgency"] == "urgent"  # joint bleed (REFERENCE.md section 4)


def test_console_script_invalid_report_exit_2_single_line(run_console_script) -> None:
    report = {"site": "unknown", "findings": ["groin_pain", "groin_pain"]}
    result = run_console_script("triage", "-", stdin=json.dumps(report))
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr == "error: findings[1]: 'groin_pain' repeats findings[0]\n"
