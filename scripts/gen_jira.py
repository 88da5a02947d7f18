#!/usr/bin/env python3
"""Generate a synthetic Jira "Export Excel CSV (all fields)" for the import benchmark.

    gen_jira.py OUT_FILE N_ROWS [--seed S]

Writes N_ROWS issues in the layout Jira exports: a byte-order mark, CRLF line ends, the
multi-valued fields as repeated columns (three `Labels`, two `Sprint`, two `Watchers`, two
`Outward issue link (Blocks)`), descriptions with quoted line breaks, commas and quotes, and a
hierarchy: one epic per 50 rows, stories and bugs whose `Parent` is the epic's issue id (as in
Jira Cloud) or whose `Custom field (Epic Link)` is its key, and sub-tasks (one row in ten) whose
`Parent` is a story's id. About one story in eight blocks the one before it. Dates are Jira's
`d/MMM/yy h:mm AM` format.

Output is deterministic for a given (N_ROWS, seed). Standard library only.
"""

import argparse
import csv
import datetime as dt
import random

HEADER = [
    "Summary", "Issue key", "Issue id", "Issue Type", "Status", "Project key", "Project name",
    "Priority", "Resolution", "Assignee", "Reporter", "Creator", "Created", "Updated",
    "Resolved", "Due date", "Labels", "Labels", "Labels", "Description", "Environment",
    "Watchers", "Watchers", "Original estimate", "Remaining Estimate", "Sprint", "Sprint",
    "Custom field (Story Points)", "Custom field (Epic Link)", "Custom field (Rank)",
    "Outward issue link (Blocks)", "Outward issue link (Blocks)", "Inward issue link (Blocks)",
    "Parent", "Parent summary", "Status Category", "Status Category Changed",
]

STATUSES = [("To Do", "To Do"), ("Selected for Development", "To Do"),
            ("In Progress", "In Progress"), ("In Review", "In Progress"),
            ("Done", "Done"), ("Closed", "Done")]
PRIORITIES = ["Highest", "High", "Medium", "Medium", "Low", "Lowest"]
PEOPLE = ["Dana Ortiz", "Sam Lee", "Priya Nair", "Marco Rossi", "Aisha Bello", "Jonas Berg",
          "Mei Chen", "Tomas Novak", ""]
LABELS = ["frontend", "backend", "api", "payments", "mobile", "infra", "ux", "security",
          "performance", "docs"]
WORDS = ["checkout", "cart", "coupon", "wallet", "invoice", "search", "filter", "profile",
         "login", "export", "report", "sync", "upload", "notification", "billing", "refund"]
VERBS = ["Add", "Fix", "Improve", "Remove", "Speed up", "Document", "Test", "Rework"]


def jira_date(d):
    hour = d.hour % 12 or 12
    half = "AM" if d.hour < 12 else "PM"
    return f"{d.day}/{d.strftime('%b')}/{d.strftime('%y')} {hour}:{d.minute:02d} {half}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("rows", type=int)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    start = dt.datetime(2026, 1, 5, 9, 0)
    rows = []
    epic = None  # (key, id, summary)
    story = None
    previous_story = None
    for n in range(1, args.rows + 1):
        key, issue_id = f"PAY-{n}", str(10000 + n)
        created = start + dt.timedelta(hours=7 * n)
        status, category = rnd.choice(STATUSES)
        done = category == "Done"
        resolution = ("Won't Do" if rnd.random() < 0.1 else "Done") if done else ""
        resolved = jira_date(created + dt.timedelta(days=rnd.randint(1, 30))) if done else ""
        title = f"{rnd.choice(VERBS)} {rnd.choice(WORDS)} {rnd.choice(WORDS)} ({n})"
        labels = rnd.sample(LABELS, rnd.randint(0, 3)) + ["", "", ""]
        sprint_no = n // 200 + 1
        sprints = [f"PAY Sprint {sprint_no}", f"PAY Sprint {sprint_no + 1}" if rnd.random() < 0.2 else ""]
        description = (f"As a customer, I can {title.lower()}, so that I pay faster.\r\n\r\n"
                       f"h2. Notes\r\n* Keep \"{rnd.choice(WORDS)}\", {rnd.choice(WORDS)} and more\r\n"
                       f"* See PAY-{max(1, n - 1)}")
        parent, parent_summary, epic_link, issue_type, points = "", "", "", "Story", ""
        blocks = ["", ""]
        if n % 50 == 1:
            issue_type = "Epic"
            epic = (key, issue_id, title)
            sprints = ["", ""]
        elif n % 10 == 0 and story is not None:
            issue_type = "Sub-task"
            parent, parent_summary = story[1], story[2]
            points = str(rnd.choice([1, 2, 3]))
        else:
            issue_type = "Bug" if rnd.random() < 0.2 else "Story"
            if rnd.random() < 0.5:
                parent, parent_summary = epic[1], epic[2]
            else:
                epic_link = epic[0]
            points = str(rnd.choice([1, 2, 3, 5, 8, 13]))
            if previous_story and rnd.random() < 0.125:
                blocks[0] = previous_story
            previous_story = key
            story = (key, issue_id, title)
        rows.append([
            title, key, issue_id, issue_type, status, "PAY", "Payments",
            rnd.choice(PRIORITIES), resolution, rnd.choice(PEOPLE), "Sam Lee", "Sam Lee",
            jira_date(created), jira_date(created + dt.timedelta(days=1)), resolved, "",
            labels[0], labels[1], labels[2], description, "", "Sam Lee", "", "", "",
            sprints[0], sprints[1], points, epic_link, f"0|i{n:05d}:", blocks[0], blocks[1], "",
            parent, parent_summary, category, jira_date(created),
        ])
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        f.write("\ufeff")
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(HEADER)
        w.writerows(rows)


if __name__ == "__main__":
    main()
