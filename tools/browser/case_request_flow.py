#!/usr/bin/env python3
"""Drives headless Chromium through a case page (issue 19): log in, open /faelle/BG and see its
findings, record a request for documents through the page's form, upload a document over the API
with the household's token (as a citizen's app does), and watch the case page until the request
shows as fulfilled. Takes a screenshot of the case page at the end (case.png). Uses the Browser of
caseworker_flow.py (Python standard library only).

Exit status 0 when every step did what it should; 1 with the failed step on stderr otherwise.
Prints one JSON object with what was done.
"""
import argparse
import json
import os
import sys
import time
import urllib.request

from caseworker_flow import Browser


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password-env", default="POSTEINGANG_PASSWORD", help="environment variable holding the password")
    parser.add_argument("--case", required=True, help="BG-Nummer of the case page")
    parser.add_argument("--finding", required=True, help="a finding code the case page must show before the request")
    parser.add_argument("--class", dest="document_class", required=True, help="the class to request")
    parser.add_argument("--month", required=True, help="the month to request, YYYY-MM")
    parser.add_argument("--upload", required=True, help="the document that fulfils the request (a PDF)")
    parser.add_argument("--token-env", default="POSTEINGANG_TOKEN", help="environment variable holding the household's API token")
    parser.add_argument("--screenshots", required=True, help="folder for case.png")
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for the upload to be filed")
    parser.add_argument("--axe", help="axe.min.js (axe-core): check the case page against WCAG 2.1 AA")
    parser.add_argument("--chromium", default="chromium")
    args = parser.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    done = []
    browser = Browser(args.chromium, 1366, 1000)
    step = "start"
    case_url = f"{args.base}/faelle/{args.case}"
    try:
        step = "login"
        browser.login(args.base, args.user, os.environ[args.password_env])
        done.append("login")

        step = "case page"
        browser.navigate(case_url)
        if not browser.evaluate(f"!!document.querySelector('li.finding[data-code={json.dumps(args.finding)}]')"):
            raise RuntimeError(f"no finding {args.finding} on the case page: "
                               + browser.evaluate("document.body.innerText")[:400])
        done.append("findings")

        step = "request"
        form = "document.querySelector('form.request-new')"
        browser.evaluate(f"{form}.querySelector('select[name=klasse]').value = {json.dumps(args.document_class)}")
        browser.evaluate(f"{form}.querySelector('input[name=von]').value = {json.dumps(args.month)}")
        browser.evaluate(f"{form}.querySelector('input[name=bis]').value = {json.dumps(args.month)}")
        browser.events.clear()
        browser.evaluate(f"{form}.querySelector('button').click()")
        browser.wait_for_load()
        notice = browser.evaluate("(document.querySelector('.notice') || {innerText: ''}).innerText")
        if "angefordert" not in notice or not browser.evaluate("!!document.querySelector('tr.request.open')"):
            raise RuntimeError(f"request not recorded: {notice!r} " + browser.evaluate("document.body.innerText")[:400])
        done.append("requested")

        step = "upload"
        with open(args.upload, "rb") as f:
            body = f.read()
        upload = urllib.request.Request(
            args.base + "/api/v1/uploads?filename=" + os.path.basename(args.upload), data=body, method="POST",
            headers={"Authorization": "Bearer " + os.environ[args.token_env], "Content-Type": "application/pdf"})
        with urllib.request.urlopen(upload, timeout=60) as answer:
            if answer.status != 202:
                raise RuntimeError(f"upload answered {answer.status}")
        done.append("uploaded")

        step = "fulfilled"
        deadline = time.time() + args.timeout
        while True:
            browser.navigate(case_url)
            if browser.evaluate("!!document.querySelector('tr.request.fulfilled')"):
                break
            if time.time() > deadline:
                raise RuntimeError("the request did not become fulfilled: "
                                   + browser.evaluate("(document.querySelector('section.requests') || document.body).innerText")[:400])
            time.sleep(1)
        if not browser.evaluate("!!document.querySelector('li.finding[data-code=request_fulfilled]')"):
            raise RuntimeError("fulfilled request without its finding")
        browser.screenshot(os.path.join(args.screenshots, "case.png"))
        done.append("fulfilled")

        if args.axe:
            step = "accessibility"
            with open(args.axe, encoding="utf-8") as f:
                violations = browser.accessibility_violations(f.read())
            browser.navigate(args.base + "/anforderungen")
            with open(args.axe, encoding="utf-8") as f:
                violations += browser.accessibility_violations(f.read())
            if violations:
                raise RuntimeError("axe-core found WCAG 2.1 AA violations: " + "; ".join(
                    f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(v['nodes'])}" for v in violations))
            done.append("accessible")
    except Exception as error:
        print(f"case flow failed at step '{step}': {error}", file=sys.stderr)
        browser.close()
        return 1
    browser.close()
    print(json.dumps({"steps": done, "screenshots": sorted(os.listdir(args.screenshots))}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
