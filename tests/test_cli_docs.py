"""The docs and the `lofte` command stay in step: every `lofte …` line in the README and docs/
names a command that exists with options it has, and every option of a command is mentioned
in its section of docs/cli.md."""

from __future__ import annotations

import functools
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer.main

from lofte.cli import app

ROOT = Path(__file__).resolve().parents[1]
DOC_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Said once for all of them at the top of docs/cli.md, or printed by the command itself.
GLOBALLY_DOCUMENTED = {"--actor", "--help"}
SHELL_WORDS = {"&&", "||", "|", ";", ">", "<", "2>&1"}


@functools.cache
def _root() -> Any:
    return typer.main.get_command(app)


def _is_group_only(command: Any) -> bool:
    """A group that does nothing by itself (`lofte tracker`); `lofte evidence` lists."""
    return hasattr(command, "commands") and not getattr(command, "invoke_without_command", False)


def _options(command: Any) -> set[str]:
    names: set[str] = set()
    for param in command.params:
        if getattr(param, "param_type_name", "") == "option":
            names.update(param.opts)
            names.update(param.secondary_opts)
    return names


def _invocations() -> list[tuple[str, str]]:
    """(where, command line) for each `lofte …` in a code block or inline code span."""
    found: list[tuple[str, str]] = []
    for path in DOC_FILES:
        in_block, carried = False, ""
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{path.relative_to(ROOT)}:{number}"
            if line.strip().startswith("```"):
                in_block = not in_block
                continue
            if in_block:
                text = f"{carried} {line.strip()}".strip()
                if text.endswith("\\"):
                    carried = text[:-1]
                    continue
                carried = ""
                for part in re.split(r"\s(?:&&|\|\||;)\s", text):
                    if part.strip().startswith("lofte "):
                        found.append((where, part.strip()))
                continue
            for span in re.findall(r"`(lofte [^`]*)`", line):
                # `lofte pledge confirm|reject|edit` names several: the first stands for them
                span = re.sub(r"([\w-]+)(?:\|[\w-]+)+", r"\1", span).replace("…", "")
                found.append((where, span))
    return found


def _resolve(words: list[str]) -> tuple[Any, list[str], list[str]]:
    """The command the words name, its path, and the words after it."""
    command, path, rest = _root(), [], list(words)
    while rest and hasattr(command, "commands") and rest[0] in command.commands:
        command = command.commands[rest[0]]
        path.append(rest.pop(0))
    return command, path, rest


def _problems(where: str, line: str) -> list[str]:
    try:
        words = shlex.split(line, comments=True)[1:]
    except ValueError:
        words = line.split()[1:]
    root_options = _options(_root())
    while words and words[0].startswith("--"):  # global options: `lofte --db URL init`
        option = words.pop(0)
        if option.split("=")[0] not in root_options:
            return [f"{where}: `{line}`: no global option {option}"]
        if "=" not in option and words:
            words.pop(0)
    if not words:
        return []
    command, path, rest = _resolve(words)
    if not path or _is_group_only(command):
        return [f"{where}: `{line}`: no command `lofte {' '.join(words[:2])}`"]
    options = _options(command)
    problems = []
    for word in rest:
        if word in SHELL_WORDS:
            break
        is_option = word.startswith("--") or (len(word) == 2 and word[0] == "-" and word != "--")
        if is_option and word.split("=")[0] not in options:
            problems.append(f"{where}: `{line}`: `lofte {' '.join(path)}` has no {word}")
    return problems


def test_every_documented_command_line_parses() -> None:
    invocations = _invocations()
    assert len(invocations) > 100  # the README's guide and docs/cli.md's headings are read
    problems = [p for where, line in invocations for p in _problems(where, line)]
    assert problems == []


@functools.cache
def _sections() -> dict[str, list[str]]:
    """For each command (by its name, e.g. "tracker add"), the text of the docs/cli.md sections whose heading names it."""
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    sections: dict[str, list[str]] = {}
    for part in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        heading = part.partition("\n")[0]
        for named in re.findall(r"`lofte ([^`]*)`", heading):
            words = [w for w in named.split() if not w.isupper() and not w.startswith("-")]
            command, path, _ = _resolve([w.replace("…", "") for w in words])
            if path and not _is_group_only(command):
                sections.setdefault(" ".join(path), []).append(part)
    return sections


def _commands() -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []

    def walk(command: Any, path: list[str]) -> None:
        if path and not _is_group_only(command):
            found.append((" ".join(path), command))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(_root(), [])
    return found


@pytest.mark.parametrize(("name", "command"), _commands(), ids=lambda v: str(v))
def test_every_option_is_mentioned_in_its_section(name: str, command: Any) -> None:
    sections = _sections()
    assert name in sections, f"`lofte {name}` has no section of its own in docs/cli.md"
    text = "\n".join(sections[name])
    missing = []
    for param in command.params:
        names = [*param.opts, *param.secondary_opts]
        if getattr(param, "param_type_name", "") != "option" or GLOBALLY_DOCUMENTED & set(names):
            continue
        if not any(re.search(re.escape(n) + r"(?![\w-])", text) for n in names):
            missing.append("/".join(names))
    assert missing == [], f"`lofte {name}`: options not mentioned in docs/cli.md: {missing}"


def test_each_command_s_line_in_a_help_list_is_one_sentence_run() -> None:
    """QA: `lofte --help` cut the lines of export, report, update and watch mid-sentence,
    where their docstrings break a line."""
    from typer.testing import CliRunner

    from lofte.cli import app

    shown = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"}).output
    line = next(row for row in shown.splitlines() if "│ export " in row)
    assert "(the transfer format of `lofte import`, with drafts" in line


def test_ingest_help_names_every_reader() -> None:
    """QA: --reader's names appeared only in the error for a wrong one."""
    from lofte.cli import READER_NAMES
    from lofte.sources.registry import readers

    assert ", ".join(sorted(r.name for r in readers())) == READER_NAMES


def test_no_option_s_help_is_cut_in_an_80_column_terminal() -> None:
    """QA: `ingest --help` cut --url-base's example address with "…" at 80 columns."""
    from typer.testing import CliRunner

    cut = re.compile(r"\w…\s*│\s*$")  # a word cut at the box's edge, not a written "…"
    runner = CliRunner()
    found = []
    for name, _ in _commands():
        shown = runner.invoke(app, [*name.split(), "--help"], env={"COLUMNS": "80"}).output
        found += [f"{name}: {row.strip()}" for row in shown.splitlines() if cut.search(row)]
    assert found == []
