"""The README's two set-up commands stay true: CI runs the test command verbatim."""
import re

from conftest import PROJECT


def _setup_commands() -> list[str]:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section, flags=re.S)


def test_readme_has_exactly_two_setup_commands():
    commands = _setup_commands()
    assert len(commands) == 2
    run, test = commands
    assert "pip install -q -r requirements.txt" in run and run.endswith("python -m search serve")
    assert "pip install -q -r requirements.txt" in test and test.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command():
    ci = (PROJECT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert _setup_commands()[1] in ci
