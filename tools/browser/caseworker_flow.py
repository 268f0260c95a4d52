#!/usr/bin/env python3
"""Drives headless Chromium (Debian's `chromium`) through the caseworkers' pages over the
Chrome DevTools Protocol: a caseworker's day. Log in, page through the inbox, open a document and
correct a field, take it into work, add a note, set a Wiedervorlage, mark it erledigt, assign a
document from the review queue; then, as the data-protection officer, read the access log. Takes
screenshots of the inbox, the document page and the review queue. With --axe, runs axe-core
(WCAG 2.1 A and AA rules) on every page it opens and fails on any violation. Needs only the
Python standard library (a minimal WebSocket client is below).

Exit status 0 when every step did what it should; 1 with the failed step on stderr otherwise.
Prints one JSON object with what was done.
"""
import argparse
import base64
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request


class WebSocket:
    """Just enough RFC 6455 for CDP: text frames, client masking, fragmented replies."""

    def __init__(self, url):
        match = re.match(r"ws://([^:/]+):(\d+)(/.*)", url)
        if not match:
            raise RuntimeError(f"not a ws:// URL: {url}")
        host, port, path = match.group(1), int(match.group(2)), match.group(3)
        self.sock = socket.create_connection((host, port), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("DevTools closed the connection during the handshake")
            response += chunk
        head, self.buffer = response.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError(f"WebSocket handshake refused: {head[:200]!r}")

    def send(self, text):
        payload = text.encode()
        header = bytes([0x81])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise RuntimeError("DevTools closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def receive(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            opcode, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else None
            payload = self._read(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 0x8:
                raise RuntimeError("DevTools closed the WebSocket")
            if opcode in (0x9, 0xA):
                continue
            message += payload
            if b0 & 0x80:
                return message.decode()


class Browser:
    def __init__(self, chromium, width, height):
        self.profile = tempfile.mkdtemp(prefix="posteingang-chromium-")
        self.process = subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--no-default-browser-check", "--lang=de-DE", "--remote-debugging-port=0",
             "--remote-allow-origins=*", f"--user-data-dir={self.profile}", f"--window-size={width},{height}",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 60
        browser_url = None
        while time.time() < deadline:
            line = self.process.stderr.readline()
            if not line:
                break
            found = re.search(r"DevTools listening on (ws://\S+)", line)
            if found:
                browser_url = found.group(1)
                break
        if not browser_url:
            raise RuntimeError("chromium did not start its DevTools endpoint")
        port = re.match(r"ws://[^:]+:(\d+)/", browser_url).group(1)
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30))
        page = next(t for t in targets if t.get("type") == "page")
        self.ws = WebSocket(page["webSocketDebuggerUrl"])
        self.next_id = 0
        self.events = []
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        self.call("Emulation.setLocaleOverride", {"locale": "de-DE"})

    def call(self, method, params=None):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params or {}}))
        while True:
            message = json.loads(self.ws.receive())
            if message.get("id") == my_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for_load(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for event in self.events:
                if event.get("method") == "Page.loadEventFired":
                    self.events.clear()
                    return
            self.events.append(json.loads(self.ws.receive()))
        raise RuntimeError("page did not finish loading")

    def navigate(self, url):
        self.events.clear()
        self.call("Page.navigate", {"url": url})
        self.wait_for_load()

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            thrown = details.get("exception", {}).get("description") or details.get("text")
            raise RuntimeError(f"script failed: {expression[:80]}: {thrown}")
        return result.get("result", {}).get("value")

    def click_and_wait(self, selector):
        self.events.clear()
        found = self.evaluate(f"(() => {{ const e = document.querySelector({json.dumps(selector)}); if (!e) return false; e.click(); return true; }})()")
        if not found:
            raise RuntimeError(f"nothing to click at {selector} on {self.evaluate('location.pathname')}")
        self.wait_for_load()

    VISIBLE_IMAGES = ("Array.from(document.images).filter(i => i.loading !== 'lazy'"
                      " || i.getBoundingClientRect().top < window.innerHeight)")

    def wait_for_images(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            # Lazy images below the fold load only when scrolled to: wait for those in view.
            if self.evaluate(self.VISIBLE_IMAGES + ".every(i => i.complete && i.naturalWidth > 0)"):
                return
            time.sleep(0.2)
        raise RuntimeError("images did not load: " + str(self.evaluate(
            self.VISIBLE_IMAGES + ".filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")))

    def login(self, base, user, password, landing="/posteingang"):
        """Logs in through the login form; `landing` (the inbox) must follow."""
        self.navigate(base + "/anmelden")
        self.evaluate(f"document.querySelector('input[name=benutzer]').value = {json.dumps(user)}")
        self.evaluate(f"document.querySelector('input[name=passwort]').value = {json.dumps(password)}")
        self.click_and_wait("section.login button[type=submit]")
        if self.evaluate("location.pathname") != landing:
            raise RuntimeError(f"not on {landing} after login: " + self.evaluate("document.body.innerText")[:300])

    AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

    def accessibility_violations(self, axe_source):
        """Runs axe-core on the page as it is (injected like axe-selenium-python does, as a
        script in the page); returns its violations of the WCAG 2.1 A and AA rules."""
        if not self.evaluate("typeof window.axe !== 'undefined'"):
            injected = self.call("Runtime.evaluate", {"expression": axe_source, "returnByValue": True})
            if "exceptionDetails" in injected:
                raise RuntimeError(f"axe.min.js did not load: {injected['exceptionDetails']}")
        options = json.dumps({"runOnly": {"type": "tag", "values": self.AXE_RULES}, "resultTypes": ["violations"]})
        result = self.evaluate(f"axe.run(document, {options}).then(r => r.violations.map(v => ({{id: v.id, impact: v.impact,"
                               " help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))")
        return result or []

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password-env", default="POSTEINGANG_PASSWORD", help="environment variable holding the password")
    parser.add_argument("--correct-file", required=True, help="original file name of the document whose field to correct")
    parser.add_argument("--field", required=True)
    parser.add_argument("--value", required=True, help="the value as a caseworker types it")
    parser.add_argument("--expect", required=True, help="the value as stored (normalised)")
    parser.add_argument("--review-file", required=True, help="original file name of the review document to assign")
    parser.add_argument("--case", required=True, help="candidate case to assign it to")
    parser.add_argument("--screenshots", required=True, help="folder for inbox.png, document.png, review.png")
    parser.add_argument("--privacy-user", help="an account with the role datenschutz; reads the access log of --privacy-case")
    parser.add_argument("--privacy-case", help="a case whose documents --user opened (that of --correct-file)")
    parser.add_argument("--axe", help="axe.min.js (axe-core): check every page opened against WCAG 2.1 AA")
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser") or "chromium")
    args = parser.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    done = []
    axe_source = open(args.axe, encoding="utf-8").read() if args.axe else None
    checked = {}

    def check(name):
        """axe-core on the page as it stands now; the violations are kept by page."""
        if axe_source is None:
            return
        violations = browser.accessibility_violations(axe_source)
        checked[name] = violations

    browser = Browser(args.chromium, 1366, 900)
    step = "start"
    try:
        if axe_source is not None:
            # The check itself must be able to fail: a page with a picture without text and
            # pale text has to show both violations.
            step = "axe self-check"
            bad = ("<html><head><title>Probe</title></head><body><main><img src='x.png'>"
                   "<p style='color:#bbb;background:#fff'>blass</p></main></body></html>")
            browser.navigate("data:text/html;charset=utf-8," + urllib.parse.quote(bad))
            found = {v["id"] for v in browser.accessibility_violations(axe_source)}
            if not {"image-alt", "color-contrast", "html-has-lang"} <= found:
                raise RuntimeError(f"axe-core does not find the violations of the probe page: {sorted(found)}")
        step = "login"
        browser.navigate(args.base + "/anmelden")
        check("anmelden")
        browser.login(args.base, args.user, os.environ[args.password_env])
        done.append("login")

        step = "inbox"
        text = browser.evaluate("document.body.innerText")
        for name in (args.correct_file, args.review_file):
            if name not in text:
                raise RuntimeError(f"{name} not listed in the inbox")
        browser.wait_for_images()
        browser.screenshot(os.path.join(args.screenshots, "inbox.png"))
        check("posteingang")
        done.append("inbox")

        step = "pages"
        count = browser.evaluate("(document.querySelector('p.count') || {innerText: ''}).innerText")
        total = re.search(r"(\d+) Dokumente · Seite 1 von (\d+)", count)
        if not total or int(total.group(1)) <= 300:
            raise RuntimeError(f"the inbox does not say it holds more than 300 documents on several pages: {count!r}")
        pages = int(total.group(2))
        # Forward through every page to the last, then back one.
        for number in range(2, pages + 1):
            browser.click_and_wait("nav.pages a[rel=next]")
            count = browser.evaluate("document.querySelector('p.count').innerText")
            if f"Seite {number} von {pages}" not in count:
                raise RuntimeError(f"page {number} does not say so: {count!r}")
            if number == 2:
                check("posteingang?seite=2")
        if browser.evaluate("!!document.querySelector('nav.pages a[rel=next]')"):
            raise RuntimeError("the last page links to a next one")
        browser.click_and_wait("nav.pages a[rel=prev]")
        if f"Seite {pages - 1} von {pages}" not in browser.evaluate("document.querySelector('p.count').innerText"):
            raise RuntimeError("the previous page link does not lead back one page")
        browser.navigate(args.base + "/posteingang")
        done.append("paged")

        step = "open document"
        row_link = ("Array.from(document.querySelectorAll('table.documents tr')).find(r => r.innerText.includes("
                    + json.dumps(args.correct_file) + ")).querySelector('td:nth-child(2) a')")
        href = browser.evaluate(f"{row_link}.getAttribute('href')")
        browser.navigate(args.base + href)
        browser.wait_for_images()
        check("dokument")
        done.append("document")

        step = "correct field"
        form = f"Array.from(document.querySelectorAll('form')).find(f => f.querySelector('input[name=feld][value={args.field}]'))"
        if not browser.evaluate(f"!!({form})"):
            raise RuntimeError(f"no form for field {args.field} on the document page")
        browser.evaluate(f"{form}.querySelector('input[name=wert]').value = {json.dumps(args.value)}")
        browser.events.clear()
        browser.evaluate(f"{form}.querySelector('button').click()")
        browser.wait_for_load()
        browser.wait_for_images()
        shown = browser.evaluate(f"{form}.querySelector('input[name=wert]').value")
        notice = browser.evaluate("(document.querySelector('.notice') || {innerText: ''}).innerText")
        if shown != args.expect or "gespeichert" not in notice:
            raise RuntimeError(f"field shows {shown!r} (expected {args.expect!r}), notice {notice!r}")
        browser.screenshot(os.path.join(args.screenshots, "document.png"))
        check("dokument nach Korrektur")
        done.append("corrected")

        step = "show where the field was read"
        link = f"document.querySelector('a.place-link[href=\"#stelle-{args.field}\"]')"
        if not browser.evaluate(f"!!{link}"):
            raise RuntimeError(f"no link to the place of field {args.field} on the document page")
        browser.evaluate(f"{link}.click()")
        time.sleep(0.3)
        marked = browser.evaluate(
            "(() => { const r = document.querySelector('rect.place:target'); if (!r) return null;"
            " const b = r.getBoundingClientRect(); const s = getComputedStyle(r);"
            " return [r.id, Math.round(b.width), Math.round(b.height), s.stroke]; })()")
        if not marked or marked[0] != f"stelle-{args.field}" or marked[1] < 5 or marked[2] < 3 or marked[3] in ("none", ""):
            seen = browser.evaluate(
                "[location.hash, !!document.getElementById('stelle-" + args.field + "'),"
                " document.querySelectorAll('rect.place').length]")
            raise RuntimeError(f"the place of field {args.field} is not marked on the page: {marked!r} (hash, rect, rects: {seen!r})")
        browser.screenshot(os.path.join(args.screenshots, "place.png"))
        done.append("place")

        step = "work"
        document_path = browser.evaluate("location.pathname")

        def press(label):
            browser.events.clear()
            found = browser.evaluate(
                "(() => { const b = Array.from(document.querySelectorAll('section.work button')).find(b => b.innerText.trim() === "
                + json.dumps(label) + "); if (!b) return false; b.click(); return true; })()")
            if not found:
                raise RuntimeError(f"no button {label!r} in the Bearbeitung section")
            browser.wait_for_load()

        browser.events.clear()
        press("In Bearbeitung nehmen")
        browser.evaluate("document.querySelector('section.work textarea[name=notiz]').value = 'Rückfrage beim Vermieter'")
        press("Notiz speichern")
        browser.evaluate("document.querySelector('section.work input[name=datum]').value = '2025-03-01'")
        press("Setzen")
        work = browser.evaluate("document.querySelector('section.work').innerText")
        for expected in ("in Bearbeitung", "Rückfrage beim Vermieter", "01.03.2025"):
            if expected not in work:
                raise RuntimeError(f"{expected!r} not in the Bearbeitung section: {work[:300]!r}")
        check("dokument in Bearbeitung")
        browser.navigate(args.base + "/wiedervorlage")
        if args.correct_file not in browser.evaluate("document.body.innerText"):
            raise RuntimeError("the document is not on the Wiedervorlage list")
        check("wiedervorlage")
        browser.navigate(args.base + document_path)
        press("Als erledigt markieren")
        if "erledigt" not in browser.evaluate("document.querySelector('section.work .badge').innerText"):
            raise RuntimeError("the document is not marked erledigt")
        done.append("worked")

        step = "other pages"
        for path, name in (("/suche?q=Miete", "suche"), ("/anforderungen", "anforderungen"),
                           (f"/faelle/{args.case}", "fall")):
            browser.navigate(args.base + path)
            browser.wait_for_images()
            check(name)

        step = "review"
        browser.navigate(args.base + "/pruefung")
        browser.wait_for_images()
        browser.screenshot(os.path.join(args.screenshots, "review.png"))
        check("pruefung")
        item = ("Array.from(document.querySelectorAll('article.review-item')).find(a => a.innerText.includes("
                + json.dumps(args.review_file) + "))")
        if not browser.evaluate(f"!!{item}"):
            raise RuntimeError(f"{args.review_file} is not in the review queue")
        # The row leads to the document page, which shows the same reasons.
        browser.navigate(args.base + browser.evaluate(f"{item}.querySelector('h2 a').getAttribute('href')"))
        if "Zu prüfen" not in browser.evaluate("document.body.innerText"):
            raise RuntimeError("the review document's page has no 'Zu prüfen' section")
        browser.wait_for_images()
        check("dokument in Prüfung")
        browser.navigate(args.base + "/pruefung")
        button = ("Array.from(document.querySelectorAll('article.review-item')).find(a => a.innerText.includes("
                  + json.dumps(args.review_file) + ")).querySelector('form.candidate input[value=" + json.dumps(args.case)
                  + "]').form.querySelector('button')")
        browser.events.clear()
        browser.evaluate(f"{button}.click()")
        browser.wait_for_load()
        notice = browser.evaluate("(document.querySelector('.notice') || {innerText: ''}).innerText")
        if args.case not in notice or args.review_file in browser.evaluate("document.body.innerText"):
            raise RuntimeError(f"assignment not confirmed: {notice!r}")
        done.append("assigned")

        if args.privacy_user and args.privacy_case:
            step = "access log"
            browser.click_and_wait("form.logout button[type=submit]")
            browser.login(args.base, args.privacy_user, os.environ[args.password_env], landing="/datenschutz")
            browser.navigate(args.base + f"/datenschutz?fall={args.privacy_case}")
            log = browser.evaluate("document.body.innerText")
            if args.user not in log or "Dokument geöffnet" not in log:
                raise RuntimeError(f"the access log of {args.privacy_case} does not show {args.user} opening its documents: {log[:300]!r}")
            check("datenschutz")
            done.append("access log")

        step = "accessibility"
        failing = {page: violations for page, violations in checked.items() if violations}
        if failing:
            lines = [f"{page}: {v['id']} ({v['impact']}): {v['help']} at {', '.join(v['nodes'])}"
                     for page, violations in failing.items() for v in violations]
            raise RuntimeError(f"axe-core found {len(lines)} WCAG 2.1 AA violations:\n" + "\n".join(lines))
        if axe_source is not None:
            done.append("accessible")
    except Exception as error:
        print(f"browser flow failed at step '{step}': {error}", file=sys.stderr)
        browser.close()
        return 1
    browser.close()
    print(json.dumps({"steps": done, "screenshots": sorted(os.listdir(args.screenshots)), "checked": sorted(checked)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
