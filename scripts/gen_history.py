#!/usr/bin/env python3
"""Builds a git repository whose history moves stories through their statuses.

    gen_history.py PLAN_DIR OUT_REPO COMMITS [ACTIVE]

PLAN_DIR is a plan made by gen_plan.py (cairn.yaml + plan/). The first commit adds it whole, with
every story reset to draft; each
following commit moves one story one status forward (draft -> ready -> in-progress -> review ->
done), an hour after the previous one, walking the first ACTIVE stories round-robin (default: all
of them; fewer stories walked go further, so the history finishes some). Written with `git fast-import`, so thousands of commits take
seconds. Deterministic.
"""
import os
import re
import subprocess
import sys

FLOW = ["draft", "ready", "in-progress", "review", "done"]


def main():
    plan_dir, out, commits = sys.argv[1], sys.argv[2], int(sys.argv[3])
    active = int(sys.argv[4]) if len(sys.argv) > 4 else None
    files = {}
    for base, _, names in os.walk(plan_dir):
        if "/.git" in base or base.endswith(".git"):
            continue
        for n in names:
            full = os.path.join(base, n)
            rel = os.path.relpath(full, plan_dir)
            if rel.startswith(".git"):
                continue
            with open(full, "rb") as f:
                files[rel] = f.read()
    stories = sorted(p for p in files if "/stories/" in p or p.startswith("plan/stories"))
    # Every story starts as a draft, so the history has room for every move it is asked for.
    status_re0 = re.compile(rb"^status: \S+$", re.M)
    for p in stories:
        files[p] = status_re0.sub(b"status: draft", files[p], count=1)
    walked = stories[:active] if active else stories
    os.makedirs(out, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", out], check=True)
    proc = subprocess.Popen(["git", "-C", out, "fast-import", "--quiet"], stdin=subprocess.PIPE)
    w = proc.stdin.write
    t = 1798000000  # 2026-12-23

    def commit(msg, changes):
        nonlocal t
        w(b"commit refs/heads/main\n")
        w(b"committer bench <bench@example.invalid> %d +0000\n" % t)
        m = msg.encode()
        w(b"data %d\n%s\n" % (len(m), m))
        for path, data in changes:
            w(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data))
        t += 3600

    commit("Generated plan", sorted(files.items()))
    status_re = re.compile(rb"^status: (\S+)$", re.M)
    i = 0
    for n in range(commits - 1):
        # Walk the stories round-robin, each step one status forward; skip finished ones.
        for _ in range(len(walked)):
            path = walked[i % len(walked)]
            i += 1
            m = status_re.search(files[path])
            if m and m.group(1).decode() in FLOW[:-1]:
                nxt = FLOW[FLOW.index(m.group(1).decode()) + 1]
                files[path] = status_re.sub(b"status: " + nxt.encode(), files[path], count=1)
                commit("Move %s to %s" % (os.path.basename(path), nxt), [(path, files[path])])
                break
        else:
            break
    proc.stdin.close()
    if proc.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "-C", out, "reset", "-q", "--hard", "main"], check=True)


if __name__ == "__main__":
    main()
