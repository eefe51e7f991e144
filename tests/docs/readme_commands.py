"""Runs the commands of README.md as a reader would after command one (scripts/quickstart.sh):
every line of its ```sh blocks (continuation lines joined) and every ```python block, in an empty
folder where scenarios/ is the repository's, with the built gigsim and gigsim-analysis first on
PATH. A command must exit 0, or the code its trailing comment names ("# exits 3: ...").

Not run: the lines that install, build or test (bash scripts/..., cmake, ctest, export PATH),
which are what this test runs inside of.

    readme_commands.py BUILD_DIR SOURCE_DIR
"""

import os
import re
import subprocess
import sys
import tempfile
import time

SKIP = ("bash scripts/", "cmake ", "ctest ", "export PATH=")


def blocks(text, language):
    return re.findall(r"^```" + language + r"\n(.*?)^```", text, flags=re.S | re.M)


def commands(block):
    joined = re.sub(r"\\\n\s*", " ", block)
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or line.startswith(SKIP):
            continue
        m = re.search(r"#\s*exits (\d+)", line)
        yield line, int(m.group(1)) if m else 0


def main(build, source):
    with open(os.path.join(source, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([os.path.join(build, "sim", "cli"),
                                   os.path.join(build, "analysis-env", "bin"), env["PATH"]])
    env.pop("PYTHONPATH", None)
    env.update(MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")
    failures = []
    with tempfile.TemporaryDirectory(prefix="gigsim-readme-") as work:
        os.symlink(os.path.join(source, "scenarios"), os.path.join(work, "scenarios"))
        os.mkdir(os.path.join(work, "out"))
        # what command one leaves behind: the default scenario's run in out/
        todo = [("gigsim run scenarios/with_umbrella_coop.yaml -o out/with_umbrella_coop.h5 -q",
                 0, "sh")]
        for block in blocks(readme, "sh"):
            todo += [(c, code, "sh") for c, code in commands(block)]
        todo += [(b, 0, "python") for b in blocks(readme, "python")]
        for command, expected, kind in todo:
            start = time.monotonic()
            if kind == "sh":
                proc = subprocess.run(["bash", "-c", command], cwd=work, env=env,
                                      capture_output=True, text=True)
            else:
                python = os.path.join(build, "analysis-env", "bin", "python3")
                proc = subprocess.run([python, "-c", command], cwd=work, env=env,
                                      capture_output=True, text=True)
            took = time.monotonic() - start
            ok = proc.returncode == expected
            print(f"{'ok ' if ok else 'FAIL'} {took:6.1f} s  exit {proc.returncode}  "
                  f"{command.splitlines()[0][:110]}", flush=True)
            if not ok:
                failures.append(command)
                print(proc.stdout[-3000:], proc.stderr[-3000:], sep="\n", file=sys.stderr)
    if failures:
        print(f"readme_commands: {len(failures)} of {len(todo)} README commands failed",
              file=sys.stderr)
        return 1
    print(f"readme_commands: all {len(todo)} README commands ran as documented")
    return 0


if __name__ == "__main__":
    sys.exit(main(os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])))
