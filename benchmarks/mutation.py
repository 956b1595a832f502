"""Mutation testing of the modules where a silent mistake costs users most (not in CI: a run takes ~5 min
on two cores). mutmut (3.x; `pip install mutmut`) breaks the code one small change at a time — a `<` for a
`<=`, a string emptied, a branch inverted — and runs the unit tests that hold those modules against each
change; a change no test notices ("survived") is a hole in the net, or a change that cannot matter.

The modules and the tests are `[tool.mutmut]` in pyproject.toml. The run happens in a clean copy of the
repository (git's committed tree, in a temporary directory), so it never touches the checkout. Prints the
score and each survivor's change; docs/mutation.md lists the survivors judged harmless, and why.

    python -m benchmarks.mutation [--keep]
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    if shutil.which("mutmut") is None:
        sys.exit("benchmarks/mutation.py needs mutmut 3: pip install 'mutmut>=3,<4'")
    work = Path(tempfile.mkdtemp(prefix="rc-mutation-")) / "reasonchat"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(work)], check=True)
    try:
        subprocess.run(["mutmut", "run", "--max-children", "2"], cwd=work, check=False,
                       stdout=subprocess.DEVNULL)
        results = subprocess.run(["mutmut", "results", "--all", "true"], cwd=work, capture_output=True,
                                 text=True).stdout
        counts: dict[str, int] = {}
        survivors = []
        for line in results.splitlines():
            name, _, status = line.strip().rpartition(": ")
            counts[status] = counts.get(status, 0) + 1
            if status == "survived":
                survivors.append(name)
        total = sum(counts.values())
        killed = counts.get("killed", 0)
        print(f"{total} mutants: {killed} killed ({killed / max(total, 1):.0%}), "
              + ", ".join(f"{n} {status}" for status, n in sorted(counts.items()) if status != "killed"))
        for name in survivors:
            shown = subprocess.run(["mutmut", "show", name], cwd=work, capture_output=True, text=True).stdout
            change = [line for line in shown.splitlines() if re.match(r"^[-+] ", line)]
            print(f"\n{name}\n  " + "\n  ".join(change))
    finally:
        if "--keep" in sys.argv:
            print(f"\n(the run is kept in {work})")
        else:
            shutil.rmtree(work.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
