#!/usr/bin/env python3
"""Imports a `gloss export --format labelstudio -o OUT.json` into a running Label Studio
and checks, through its API, that every span it stored selects the quoted text.

Label Studio counts `start`/`end` in code points (its Text tag converts the browser's
UTF-16 positions), so a Python slice of the task's text must equal each region's `text`.
Not part of `swift test`: it needs a Label Studio server (see the README, "Label Studio
and doccano").

    python3 scripts/check-labelstudio.py OUT.json OUT.config.xml \
        [--url http://127.0.0.1:8765] [--email gloss@example.org] [--password PASSWORD]

Exit status 0 when every span matches, 1 otherwise.
"""

import argparse
import sys

import requests


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tasks")
    parser.add_argument("config")
    parser.add_argument("--url", default="http://127.0.0.1:8765")
    parser.add_argument("--email", default="gloss@example.org")
    parser.add_argument("--password", default="glosspass123")
    args = parser.parse_args()
    base = args.url.rstrip("/")

    # Label Studio 1.23 disables legacy tokens: log in with a session, as the browser does.
    session = requests.Session()
    session.get(f"{base}/user/login/")
    session.post(f"{base}/user/login/", data={"email": args.email, "password": args.password,
                                               "csrfmiddlewaretoken": session.cookies["csrftoken"]},
                 headers={"Referer": f"{base}/user/login/"}).raise_for_status()
    headers = {"X-CSRFToken": session.cookies["csrftoken"], "Referer": base + "/"}

    with open(args.config, encoding="utf-8") as f:
        config = f.read()
    response = session.post(f"{base}/api/projects", headers=headers,
                            json={"title": "Gloss export " + args.tasks.split("/")[-1], "label_config": config})
    if response.status_code >= 300:
        sys.exit(f"creating the project failed ({response.status_code}): {response.text[:300]}")
    project = response.json()["id"]
    with open(args.tasks, "rb") as f:
        response = session.post(f"{base}/api/projects/{project}/import", headers=headers,
                                files={"file": ("tasks.json", f, "application/json")})
    print(f"project {project}: import {response.status_code} {response.text[:200]}")
    response.raise_for_status()

    tasks = session.get(f"{base}/api/tasks", headers=headers,
                        params={"project": project, "fields": "all", "page_size": 1000}).json()
    tasks = tasks["tasks"] if isinstance(tasks, dict) else tasks
    matches = mismatches = 0
    for task in tasks:
        text = task["data"]["text"]
        predictions = session.get(f"{base}/api/predictions", headers=headers, params={"task": task["id"]}).json()
        for prediction in predictions:
            for result in prediction["result"]:
                if result["type"] != "labels":
                    continue
                value = result["value"]
                got = text[value["start"]:value["end"]]
                if got == value["text"]:
                    matches += 1
                else:
                    mismatches += 1
                    print(f"MISMATCH task {task['id']} region {result['id']}: {value['start']}..{value['end']} "
                          f"selects {got!r}, the region says {value['text']!r}")
    print(f"{len(tasks)} tasks: {matches} spans select their text, {mismatches} do not")
    sys.exit(0 if mismatches == 0 and matches > 0 else 1)


if __name__ == "__main__":
    main()
