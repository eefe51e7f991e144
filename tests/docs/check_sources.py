"""Every source the repository cites is in the repository: parameter sources name an entry of
docs/references.md in square brackets or say "assumption:" / "scenario choice" with a reason; every
[Key] in the docs, scenarios and parameter sources is an entry there; nothing cites the project's
private brief or its seed documents by number.

    check_sources.py SOURCE_DIR GIGSIM_EXE
"""

import os
import re
import subprocess
import sys

EXEMPT = ("tests/docs/check_sources.py",)
TEXT = (".md", ".yaml", ".yml", ".cpp", ".hpp", ".h", ".py", ".j2", ".sh", ".json", ".txt",
        ".cmake", ".toml")
PRIVATE = re.compile(r"\bBRIEF\b|project brief|\bseeds? 0\d\d\b")
KEY = re.compile(r"\[([A-Za-z][A-Za-z0-9-]*)\]")


def main(source, gigsim):
    with open(os.path.join(source, "docs", "references.md"), encoding="utf-8") as f:
        keys = set(re.findall(r"\*\*\[([^\]]+)\]\*\*", f.read()))
    problems = []

    rows = subprocess.run([gigsim, "params", "--format", "tsv"], capture_output=True, text=True,
                          check=True).stdout.splitlines()[1:]
    for row in rows:
        path, source_text = row.split("\t")[0], row.split("\t")[5]
        cited = KEY.findall(source_text)
        if not source_text:
            problems.append(f"parameter {path}: no source")
        elif not cited and not source_text.startswith(("assumption:", "scenario choice")):
            problems.append(f"parameter {path}: source {source_text!r} names no reference and "
                            f"gives no reason")
        for k in cited:
            if k not in keys:
                problems.append(f"parameter {path}: [{k}] is not in docs/references.md")

    for root, dirs, files in os.walk(source):
        dirs[:] = [d for d in dirs if not d.startswith((".", "build")) and d != "__pycache__"]
        for name in files:
            if not name.endswith(TEXT) and name not in ("README", "CMakeLists.txt"):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, source)
            if rel.startswith(EXEMPT):
                continue
            try:
                with open(path, encoding="utf-8") as f:
                    lines = f.read().splitlines()
            except (UnicodeDecodeError, OSError):
                continue
            for i, line in enumerate(lines, 1):
                if PRIVATE.search(line):
                    problems.append(f"{rel}:{i}: cites a document outside the repository: "
                                    f"{line.strip()[:100]}")
                if rel.startswith(("docs/", "scenarios/")) and rel != "docs/references.md":
                    for k in KEY.findall(line):
                        if k[0].isupper() and k not in keys and not k.startswith("CI"):
                            problems.append(f"{rel}:{i}: [{k}] is not in docs/references.md")
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        return 1
    print(f"check_sources: {len(rows)} parameters and every text file cite only "
          f"docs/references.md ({len(keys)} entries)")
    return 0


if __name__ == "__main__":
    sys.exit(main(os.path.abspath(sys.argv[1]), sys.argv[2]))
