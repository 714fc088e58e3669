"""The store boundary (issue 11, item 1): only `lofte.store` imports SQLAlchemy or the ORM rows.

Imports are read with `ast`, not grepped, so a comment or a string naming sqlalchemy does not
count and `from ..store import schema` does. Everything outside the store names the session
type through `lofte.store.db` and calls store functions that return the records of `model.py`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import lofte

PACKAGE = Path(lofte.__file__).parent
FORBIDDEN = ("sqlalchemy", "lofte.store.schema")


def _module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path, module: str) -> set[str]:
    """Absolute names of everything the module imports (relative imports resolved)."""
    is_package = path.name == "__init__.py"
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = module.split(".")
                parent = parent if is_package else parent[:-1]
                parent = parent[: len(parent) - (node.level - 1)]
                base = ".".join([*parent, base] if base else parent)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def offenders(package: Path = PACKAGE) -> set[str]:
    found = set()
    for path in sorted(package.rglob("*.py")):
        module = _module_name(path, package)
        if module == "lofte.store" or module.startswith("lofte.store."):
            continue
        imported = _imported(path, module)
        if any(n == f or n.startswith(f + ".") for n in imported for f in FORBIDDEN):
            found.add(module)
    return found


def test_the_import_reader_sees_relative_and_absolute_imports(tmp_path: Path) -> None:
    src = (
        "from ..store import schema\nfrom ..store.schema import PledgeRow\nimport sqlalchemy.orm\n"
    )
    path = tmp_path / "x.py"
    path.write_text(src, encoding="utf-8")
    names = _imported(path, "lofte.web.x")
    assert {"lofte.store.schema", "lofte.store.schema.PledgeRow", "sqlalchemy.orm"} <= names


def test_only_the_store_imports_sqlalchemy_or_its_rows() -> None:
    assert offenders() == set(), "these modules reach past the store"


def test_the_check_finds_a_module_that_reaches_past_the_store(tmp_path: Path) -> None:
    """The boundary test can fail: in a copy of the package layout, the one module importing the
    rows is named, and a store module doing the same is not."""
    package = tmp_path / "lofte"
    for folder, text in (
        ("web", "from ..store.schema import PledgeRow\n"),
        ("store", "from .schema import PledgeRow\nimport sqlalchemy\n"),
    ):
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text("", encoding="utf-8")
        (package / folder / "probe.py").write_text(text, encoding="utf-8")
    assert offenders(package) == {"lofte.web.probe"}
