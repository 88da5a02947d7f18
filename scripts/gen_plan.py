#!/usr/bin/env python3
"""Generate a synthetic, realistic cairn plan for benchmarks and tests.

    gen_plan.py OUT_DIR N_ITEMS [--seed S] [--force]

Writes OUT_DIR/cairn.yaml, OUT_DIR/plan/README.md, OUT_DIR/plan/goals/G-*.md and
OUT_DIR/plan/stories/S-*.md: exactly N_ITEMS items, one goal per 11 items and the
rest stories spread evenly over the goals (about 10 per goal). The plan is meant
to produce zero findings under `cairn check`:

- every story names an existing goal and links to its goal's `## Why now` heading;
- `depends_on` only names 0-2 earlier stories of the same goal (no cycles), and
  statuses are sorted so earlier stories are at least as far along as later
  ones: a done story only depends on done stories;
- every story in `ready` or later has an estimate and acceptance criteria;
- sprint assignments are capped so no sprint exceeds its capacity;
- every active goal has at least one story (a goal left without stories, which
  only happens for tiny N, is `proposed`).

Output is deterministic for a given (N_ITEMS, seed). Standard library only.
"""

import argparse
import datetime as dt
import os
import random
import re
import shutil
import sys
import time

SPRINT_COUNT = 8
SPRINT_CAPACITY = 10000
FIRST_SPRINT = dt.date(2027, 1, 4)
ITEMS_PER_GOAL = 11  # one goal + ten stories

OWNERS = ["priya", "marco", "aisha", "jonas", "mei", "tomas", "fatima", "lucas",
          "sofia", "kenji", "amara", "oliver", "noor", "diego", "hana", "ravi"]
ROLES = ["project lead", "team member", "workspace admin", "new user", "guest",
         "product manager", "support agent", "mobile user", "billing owner",
         "power user", "contractor", "team lead"]
VERBS = ["Automate", "Export", "Import", "Filter", "Share", "Archive", "Schedule",
         "Bulk-edit", "Preview", "Search", "Sync", "Tag", "Comment on", "Restore",
         "Duplicate", "Assign", "Prioritise", "Track", "Group", "Pin"]
OBJECTS = ["recurring tasks", "project templates", "calendar events", "task lists",
           "board columns", "due dates", "attachments", "team workspaces",
           "saved views", "time entries", "custom fields", "notifications",
           "guest invitations", "milestones", "checklists", "reminders",
           "activity logs", "integrations", "dashboards", "invoices"]
BENEFITS = ["I stop doing it by hand", "nothing slips through the cracks",
            "my team sees the same picture", "I can plan the week in minutes",
            "I find what I need without asking", "reviews take less time",
            "customers get answers faster", "I keep working offline",
            "audits are painless", "the board stays readable"]
CRITERIA = ["The change is visible to every member of the workspace",
            "It works the same on web, desktop and mobile",
            "An undo is offered for five seconds after the action",
            "Keyboard users can do it without a mouse",
            "The action is recorded in the activity log",
            "Errors explain what went wrong and how to fix it",
            "It completes in under one second for 1,000 tasks",
            "Permissions are respected for guests and contractors",
            "Screen readers announce the new state",
            "Existing data is migrated without loss"]
GOAL_THEMES = ["Faster onboarding", "AI task automation", "Enterprise readiness",
               "Mobile parity", "Reliable sync", "Team collaboration",
               "Self-serve billing", "Search that finds things", "Calendar planning",
               "Accessible by default", "Integrations marketplace", "Trusted security",
               "Insightful reporting", "Offline first", "Delightful notifications"]
GOAL_WHY = ["Churn interviews keep naming this as the reason teams leave in the first month.",
            "Two competitors shipped this last quarter and sales hears about it weekly.",
            "Support tickets on this topic doubled since the spring release.",
            "Our largest prospects list it as a requirement in every security review.",
            "Usage data shows a third of active teams hit this wall every week."]
KR_METRICS = [("activation rate", "%"), ("weekly active teams", ""), ("NPS", ""),
              ("support tickets per 1k users", ""), ("p95 sync latency", " ms"),
              ("trial-to-paid conversion", "%"), ("tasks automated per team", "")]
TAGS = ["automation", "growth", "mobile", "enterprise", "ux", "performance",
        "security", "billing", "search", "ai", "accessibility", "integrations"]
HORIZONS = ["now", "next", "later", "2027-Q1", "2027-Q2", "2027-Q3", "2027-04"]

# Story statuses from most to least advanced; earlier stories of a goal get the
# more advanced ones so a story never depends on a less advanced one.
STATUS_ORDER = ["done", "review", "in-progress", "ready", "draft"]
STATUS_WEIGHTS = [35, 8, 12, 20, 25]
ESTIMATES = [1, 2, 3, 5, 8]
ESTIMATE_WEIGHTS = [15, 25, 30, 20, 10]
MEAN_ESTIMATE = sum(e * w for e, w in zip(ESTIMATES, ESTIMATE_WEIGHTS)) / sum(ESTIMATE_WEIGHTS)
IMPACTS = ["3", "2", "1", "0.5", "0.25"]
EFFORTS = ["0.25", "0.5", "1", "2", "3", "5"]


_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def write_file(path, text):
    # os.open/os.write skip the TextIOWrapper set-up of open(): with 100k files
    # this is most of the generator's time.
    fd = os.open(path, _WRITE_FLAGS, 0o644)
    try:
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def sprints():
    out = []
    for i in range(SPRINT_COUNT):
        start = FIRST_SPRINT + dt.timedelta(days=14 * i)
        out.append((f"2027-S{i + 1}", start, start + dt.timedelta(days=11)))
    return out


def config_text():
    lines = [
        "# Generated by scripts/gen_plan.py for benchmarks; default kinds.",
        "plan_dir: plan",
        "scoring: {method: rice}",
        "sprints:",
    ]
    for name, start, end in sprints():
        lines.append(f"  - {{ name: {name}, start: {start.isoformat()}, "
                     f"end: {end.isoformat()}, capacity: {SPRINT_CAPACITY} }}")
    return "\n".join(lines) + "\n"


def split_counts(n_items):
    """Return a list with the number of stories of each goal (sum + len == n_items)."""
    if n_items <= 0:
        return []
    n_goals = -(-n_items // ITEMS_PER_GOAL)  # ceil
    n_stories = n_items - n_goals
    base, extra = divmod(n_stories, n_goals)
    return [base + (1 if g < extra else 0) for g in range(n_goals)]


def goal_text(rng, gid, title, status, n_children):
    theme_tag = rng.choice(TAGS)
    reach = rng.randrange(500, 50001, 50)
    krs = []
    body_krs = []
    for _ in range(rng.randint(2, 3)):
        metric, unit = rng.choice(KR_METRICS)
        current = rng.randint(5, 60)
        target = current + rng.randint(5, 30)
        if rng.random() < 0.5:
            krs.append(f"  - {{ metric: {metric}, target: {target}{unit.strip()}, "
                       f"current: {current}{unit.strip()} }}")
        else:
            krs.append(f"  - Move {metric} from {current}{unit} to {target}{unit}")
        body_krs.append(f"- Move {metric} from {current}{unit} to {target}{unit}.")
    fm = [
        "---",
        f"id: {gid}",
        f"title: {title}",
        f"status: {status}",
        f"owner: {rng.choice(OWNERS)}",
        f"horizon: {rng.choice(HORIZONS)}",
        f"moscow: {rng.choice(['must', 'must', 'should', 'should', 'could'])}",
        f"rice: {{ reach: {reach}, impact: 1, confidence: 80%, effort: 2 }}",
        "key_results:",
        *krs,
        f"tags: [{theme_tag}, {rng.choice(TAGS)}]" if rng.random() < 0.5 else f"tags: [{theme_tag}]",
        "---",
    ]
    body = [
        f"{title} is one of our bets for 2027. It groups {n_children} user "
        f"stories owned by the {theme_tag} squad; the product manager reviews "
        "progress at every sprint review and adjusts the scope as we learn.",
        "",
        "## Why now",
        "",
        rng.choice(GOAL_WHY) + " " + rng.choice(GOAL_WHY),
        "",
        "## Key results",
        "",
        *body_krs,
    ]
    return "\n".join(fm) + "\n" + "\n".join(body) + "\n"


def story_text(rng, sid, title, status, goal_id, goal_file, estimate, sprint, deps):
    role = rng.choice(ROLES)
    capability = title[0].lower() + title[1:]
    fm = [
        "---",
        f"id: {sid}",
        f"title: {title}",
        f"status: {status}",
        f"goal: {goal_id}",
    ]
    if estimate is not None:
        fm.append(f"estimate: {estimate}")
    if sprint is not None:
        fm.append(f"sprint: {sprint}")
    if rng.random() < 0.4:
        choices = ['must', 'should', 'should', 'could'] + (['wont'] if status == 'draft' else [])
        fm.append(f"moscow: {rng.choice(choices)}")
    conf = f"{rng.choice([50, 60, 70, 80, 90, 100])}%" if rng.random() < 0.7 \
        else rng.choice(["0.5", "0.8", "1"])
    fm.append(f"rice: {{ reach: {rng.randrange(10, 5001, 10)}, impact: {rng.choice(IMPACTS)}, "
              f"confidence: {conf}, effort: {rng.choice(EFFORTS)} }}")
    if deps:
        fm.append(f"depends_on: [{', '.join(deps)}]")
    fm.append(f"owner: {rng.choice(OWNERS)}")
    if rng.random() < 0.8:
        fm.append(f"tags: [{', '.join(rng.sample(TAGS, rng.randint(1, 2)))}]")
    fm.append("---")

    verb = rng.choice(["want to", "can"])
    if status == "done":
        checked = 3
    elif status in ("review", "in-progress"):
        checked = rng.randint(0, 2)
    else:
        checked = 0
    criteria = rng.sample(CRITERIA, 3)
    boxes = [f"- [{'x' if i < checked else ' '}] {c}" for i, c in enumerate(criteria)]
    body = [
        f"As a {role}, I {verb} {capability}, so that {rng.choice(BENEFITS)}.",
        "",
        "## Acceptance criteria",
        "",
        *boxes,
        "",
        f"Part of the [goal](../goals/{goal_file}#why-now).",
    ]
    return "\n".join(fm) + "\n" + "\n".join(body) + "\n"


def readme_text(goal_files):
    lines = [
        "# Plan",
        "",
        "Generated by `scripts/gen_plan.py`. Goals live in `goals/`, stories in `stories/`.",
        "",
    ]
    for gid, title, fname in goal_files[:5]:
        lines.append(f"- [{gid}: {title}](goals/{fname}#key-results)")
    return "\n".join(lines) + "\n"


def generate(out_dir, n_items, seed):
    rng = random.Random(seed)
    counts = split_counts(n_items)
    n_stories = sum(counts)
    sprint_list = sprints()
    names = [s[0] for s in sprint_list]
    load = dict.fromkeys(names, 0)
    budget = 0.9 * SPRINT_CAPACITY  # keep a margin under capacity
    # Probability that an eligible story is in a sprint, scaled so big plans do
    # not pile everything into eight sprints.
    p_sprint = min(0.6, 0.7 * SPRINT_COUNT * budget / max(1.0, n_stories * MEAN_ESTIMATE))

    plan = os.path.join(out_dir, "plan")
    gdir = os.path.join(plan, "goals")
    sdir = os.path.join(plan, "stories")
    os.makedirs(gdir, exist_ok=True)
    os.makedirs(sdir, exist_ok=True)
    write_file(os.path.join(out_dir, "cairn.yaml"), config_text())

    goal_files = []
    next_story = 1
    for g, n_children in enumerate(counts):
        gnum = g + 1
        gid = f"G-{gnum}"
        theme = GOAL_THEMES[g % len(GOAL_THEMES)]
        title = f"{theme} {gnum}"
        gfile = f"{gid}-{slug(title)}.md"
        status = "active" if n_children else "proposed"
        goal_files.append((gid, title, gfile))
        write_file(os.path.join(gdir, gfile), goal_text(rng, gid, title, status, n_children))

        statuses = rng.choices(STATUS_ORDER, STATUS_WEIGHTS, k=n_children)
        statuses.sort(key=STATUS_ORDER.index)  # most advanced first
        first = next_story
        for j, status in enumerate(statuses):
            snum = first + j
            sid = f"S-{snum}"
            title = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"
            # Drafts may still lack an estimate; everything from ready on has one.
            estimate = rng.choices(ESTIMATES, ESTIMATE_WEIGHTS)[0]
            if status == "draft" and rng.random() < 0.3:
                estimate = None
            sprint = None
            if estimate is not None and status != "draft" and rng.random() < p_sprint:
                if status == "done":
                    cand = names[:4]
                elif status in ("review", "in-progress"):
                    cand = names[3:5]
                else:
                    cand = names[5:]
                pick = rng.choice(cand)
                if load[pick] + estimate <= budget:
                    load[pick] += estimate
                    sprint = pick
            k = min(j, rng.choice([0, 0, 1, 1, 2]))
            deps = [f"S-{first + d}" for d in sorted(rng.sample(range(j), k))] if k else []
            text = story_text(rng, sid, title, status, gid, gfile, estimate, sprint, deps)
            write_file(os.path.join(sdir, f"{sid}-{slug(title)}.md"), text)
        next_story += n_children

    write_file(os.path.join(plan, "README.md"), readme_text(goal_files))
    return len(counts), n_stories, load


def main(argv=None):
    ap = argparse.ArgumentParser(description="Generate a synthetic cairn plan.")
    ap.add_argument("out_dir", help="folder to write cairn.yaml and plan/ into")
    ap.add_argument("n_items", type=int, help="total number of items (goals + stories)")
    ap.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    ap.add_argument("--force", action="store_true",
                    help="delete an existing OUT_DIR/plan first")
    args = ap.parse_args(argv)
    if args.n_items < 1:
        ap.error("N_ITEMS must be at least 1")

    plan = os.path.join(args.out_dir, "plan")
    if os.path.isdir(plan) and os.listdir(plan):
        if not args.force:
            print(f"gen_plan.py: {plan} exists and is not empty (use --force to replace it)",
                  file=sys.stderr)
            return 2
        shutil.rmtree(plan)

    t0 = time.perf_counter()
    goals, stories, load = generate(args.out_dir, args.n_items, args.seed)
    elapsed = time.perf_counter() - t0
    used = ", ".join(f"{k}={v}" for k, v in load.items())
    print(f"gen_plan.py: {goals + stories} items ({goals} goals, {stories} stories) "
          f"in {args.out_dir} in {elapsed:.2f}s; sprint points: {used}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
