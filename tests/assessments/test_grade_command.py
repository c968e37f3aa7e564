"""`python manage.py grade FILE|-` (RULES.md §6): through call_command and as a real process."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from .conftest import make_input

ROOT = Path(__file__).resolve().parents[2]

# score exactly 20 (Q5 10 + Q12 7 + Q14 3) and six level-1 scenarios, three constrained → level 1
LEVEL_ONE = make_input(
    {"Q5": 4, "Q12": 2, "Q14": 2},
    {"S01": 1, "S03": 1, "S06": 1, "S02": 1, "S04": 1, "S05": 1},
)
BAD_Q1 = make_input({"Q1": [0, 2]})


def call(*args, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    call_command("grade", *args, stdout=out, stderr=err, stdin=stdin)
    return out.getvalue(), err.getvalue()


def write(tmp_path, obj, name="in.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_one_object_from_a_file(tmp_path):
    out, _ = call(write(tmp_path, LEVEL_ONE))
    result = json.loads(out)
    assert result["score"] == "20.00"
    assert result["level"] == 1
    assert result["next_level"] == {
        "level": 2,
        "score_needed": "20.00",
        "scenarios_needed": 6,
        "constrained_needed": 3,
    }
    assert out.startswith('{\n  "framework": "shunyi-2024",')  # indent 2


def test_array_from_stdin_keeps_order(tmp_path):
    blank = make_input()
    out, _ = call("-", stdin=io.StringIO(json.dumps([LEVEL_ONE, blank, LEVEL_ONE])))
    assert [r["score"] for r in json.loads(out)] == ["20.00", "0.00", "20.00"]


def test_energy_as_exact_decimal_string(tmp_path):
    # RULES.md §6: every year that has a tce, computed from its energy list or given as energy_tce
    data = {
        "prev_year": {"energy": [{"source": "electricity", "amount": "310"}]},
        "last_year": {"energy_tce": "300.50"},
    }
    out, _ = call(write(tmp_path, dict(LEVEL_ONE, data=data)))
    assert json.loads(out)["energy_tce"] == {"prev_year": "380.99", "last_year": "300.5"}  # 310 × 1.229


def test_a_year_without_energy_has_no_tce(tmp_path):
    data = {"prev_year": {"revenue": 10}, "last_year": {"energy_tce": 0}}
    out, _ = call(write(tmp_path, dict(LEVEL_ONE, data=data)))
    assert json.loads(out)["energy_tce"] == {"last_year": "0"}


def test_bad_input_names_the_field(tmp_path):
    with pytest.raises(CommandError) as info:
        call(write(tmp_path, BAD_Q1))
    assert str(info.value) == "Q1: 无 cannot be combined with other options"
    assert info.value.returncode == 2


def test_bad_input_in_an_array_names_the_index(tmp_path):
    with pytest.raises(CommandError) as info:
        call(write(tmp_path, [LEVEL_ONE, LEVEL_ONE, BAD_Q1]))
    assert str(info.value) == "[2].Q1: 无 cannot be combined with other options"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "input: invalid JSON"),
        ("", "input: invalid JSON"),
        ("42", "input: expected an assessment object or an array of them"),
        ('{"answers": {"Q1": [1]}, "answers": {}}', "input: invalid JSON: duplicate key 'answers'"),
        ('[{"framework": "shunyi-1999"}]', "[0].framework: unknown framework edition shunyi-1999"),
    ],
)
def test_bad_json(text, message):
    with pytest.raises(CommandError) as info:
        call("-", stdin=io.StringIO(text))
    assert str(info.value).startswith(message)


def test_missing_file(tmp_path):
    with pytest.raises(CommandError) as info:
        call(str(tmp_path / "nope.json"))
    assert str(info.value).startswith("input: cannot read")


# ----------------------------------------------------------------------------------------------------------
# As a real process: exit status, nothing on stdout when the input is bad
# ----------------------------------------------------------------------------------------------------------


def manage(*args, input_text=None):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DJANGO_SETTINGS_MODULE"] = "shunyi_eval.settings"
    return subprocess.run(
        [sys.executable, "manage.py", "grade", *args],
        cwd=ROOT,
        input=input_text,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )


def test_process_reads_stdin_and_prints_json():
    proc = manage("-", input_text=json.dumps([LEVEL_ONE]))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["level"] == 1


def test_process_reads_a_file(tmp_path):
    proc = manage(write(tmp_path, LEVEL_ONE))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["score"] == "20.00"


def test_process_bad_input_exits_non_zero_with_nothing_on_stdout():
    proc = manage("-", input_text=json.dumps([LEVEL_ONE, BAD_Q1]))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "[1].Q1: 无 cannot be combined with other options" in proc.stderr


def test_process_bad_json_exits_non_zero():
    proc = manage("-", input_text="[1,")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "input: invalid JSON" in proc.stderr
