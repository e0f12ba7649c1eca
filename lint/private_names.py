"""An import-linter contract: no module imports a name that starts with `_` from another module.

A leading underscore says "only this module uses it". When another module needs it, the name has
found a second user: make it public (drop the underscore) in a module where both may reach it.
"""

import ast
import importlib.util
from pathlib import Path
from typing import Any

from importlinter import Contract, ContractCheck, fields, output


def _resolve(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute name of `from <level dots><target> import …` written in `module`."""
    if level == 0:
        return target or ""
    parts = module.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, target] if target else base)


def private_imports(package: str) -> list[tuple[str, int, str, str]]:
    """(importer, line, imported module, name) for every private name imported across modules."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(f"{package} is not an importable package")
    root = Path(next(iter(spec.submodule_search_locations)))
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root.parent).with_suffix("")
        is_package = relative.name == "__init__"
        module = ".".join(relative.parts[:-1] if is_package else relative.parts)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            imported = _resolve(module, is_package, node.level, node.module)
            for alias in node.names:
                name = alias.name
                dunder = name.startswith("__") and name.endswith("__")
                if name.startswith("_") and not dunder and imported != module:
                    found.append((module, node.lineno, imported, name))
    return found


class PrivateNamesContract(Contract):
    """Configured with `packages`: the packages whose modules are checked."""

    packages = fields.ListField(subfield=fields.StringField())

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        found = [hit for package in self.packages for hit in private_imports(package)]
        return ContractCheck(kept=not found, metadata={"found": found})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, line, imported, name in check.metadata["found"]:
            output.print_error(f"{importer}:{line} imports the private name {name} from {imported}")
            output.new_line()
