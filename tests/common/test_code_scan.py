"""The code scan fails on a medium finding nobody reviewed, and passes once it is listed with a reason."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "bandit-check"
RISKY = "import subprocess\n\n\ndef run(command: str) -> None:\n    subprocess.call(command, shell=True)\n"


def _tree(tmp_path: Path, exceptions: str) -> Path:
    (tmp_path / "src").mkdir(parents=True)
    (tmp_path / "src" / "risky.py").write_text(RISKY)
    (tmp_path / "security").mkdir()
    (tmp_path / "security" / "bandit-exceptions.toml").write_text(exceptions)
    return tmp_path


def _scan(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--root", str(root)], capture_output=True, text=True, check=False
    )


def test_an_unreviewed_medium_finding_fails(tmp_path):
    assert shutil.which("bandit") or (ROOT / ".venv" / "bin" / "bandit").exists()
    result = _scan(_tree(tmp_path, ""))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "risky.py" in result.stdout and "1 not reviewed" in result.stdout


def test_a_reviewed_finding_passes_and_needs_a_reason(tmp_path):
    entry = '[[exception]]\nfile = "src/risky.py"\ntest = "B602"\ncount = 1\nreason = "%s"\n'
    assert _scan(_tree(tmp_path / "a", entry % "the command is a constant of ours")).returncode == 0
    assert _scan(_tree(tmp_path / "b", entry % "")).returncode == 1


def test_the_project_has_no_unreviewed_finding():
    result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
