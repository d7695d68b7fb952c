"""Headless Chromium with the network off, driven over the DevTools protocol.

Just enough of the protocol for the docs' browser check: open a page, wait
for its load event and for a promise the page exposes, and report what the
browser saw -- failed requests, console errors, bytes transferred -- and
values computed by JavaScript in the page.

Chromium runs with a fresh profile, no background networking, and every
host name resolving to nothing but 127.0.0.1 (plus a dead proxy for IP
literals), so a page that needs the internet fails here as it would on an
offline machine. Needs Debian's ``chromium`` and the ``websocket-client``
package.
"""

import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import websocket

#: Command-line flags: headless, no sandbox (containers), nothing phoning home, no network.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-default-apps", "--mute-audio",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
         "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1"]


def find_chromium():
    """The path of a Chromium (or Chrome) binary, or ``None``."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if shutil.which(name):
            return shutil.which(name)
    return None


class Browser:
    """A Chromium process and one page (tab) of it, driven over a websocket."""

    def __init__(self, binary, profile, timeout=120):
        self.process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
             "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port = self._port(Path(profile) / "DevToolsActivePort", timeout)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as answer:
            (page,) = [target for target in json.load(answer) if target["type"] == "page"]
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=timeout,
                                                  suppress_origin=True)
        self.next_id, self.events, self.timeout = 0, [], timeout
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.call(f"{domain}.enable")
        self.call("Network.setCacheDisabled", cacheDisabled=True)   # every page weighs in full

    def _port(self, path, timeout):
        """Chromium writes the port it chose into its profile; wait for it (or its death)."""
        for _ in range(int(timeout * 10)):
            if path.exists() and path.read_text().strip():
                return int(path.read_text().split()[0])
            if self.process.poll() is not None:
                raise RuntimeError(f"chromium exited with status {self.process.returncode}")
            time.sleep(0.1)
        raise RuntimeError("chromium did not open its DevTools port")

    def call(self, method, **params):
        """Send one command; return its result, keeping the events that arrive meanwhile."""
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method):
        """Read events until one called ``method`` arrives."""
        while True:
            message = json.loads(self.socket.recv())
            self.events.append(message)
            if message.get("method") == method:
                return message

    def settle(self, quiet=1.0, timeout=20):
        """Read events until every request the page has made is finished or
        failed, or none has moved for ``quiet`` seconds, so what is counted
        does not depend on timing (a search index or a font fetched after the
        load event, say)."""
        deadline = time.monotonic() + timeout
        self.socket.settimeout(quiet)
        try:
            while pending(self.events) and time.monotonic() < deadline:
                self.events.append(json.loads(self.socket.recv()))
        except websocket.WebSocketTimeoutException:
            pass   # what is still pending never finishes (a request Chromium dropped)
        finally:
            self.socket.settimeout(self.timeout)

    def evaluate(self, expression):
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True,
                           returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:60]}...: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url):
        """Load ``url``; return the events of that load (everything since the last call)."""
        self.events = []
        self.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")
        return self.events

    def close(self):
        self.socket.close()
        self.process.terminate()
        self.process.wait()


def problems(events):
    """Failed requests (network errors, HTTP >= 400) and console errors, as sentences."""
    found, urls = [], {}
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            urls[params["requestId"]] = params["request"]["url"]
        elif method == "Network.loadingFailed":
            found.append(f"request failed: {params.get('errorText')} "
                         f"{urls.get(params['requestId'], '?')}")
        elif method == "Network.responseReceived" and params["response"]["status"] >= 400:
            found.append(f"HTTP {params['response']['status']}: {params['response']['url']}")
        elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
            found.append("console error: " + " ".join(
                str(arg.get("value", arg.get("description", ""))) for arg in params["args"]))
        elif method == "Runtime.exceptionThrown":
            found.append(f"exception: {params['exceptionDetails'].get('text')}")
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            found.append(f"log error: {params['entry']['text']} {params['entry'].get('url', '')}")
    return found


def pending(events):
    """The ids of requests sent and not yet finished or failed."""
    started = {event["params"]["requestId"] for event in events
               if event.get("method") == "Network.requestWillBeSent"}
    ended = {event["params"]["requestId"] for event in events
             if event.get("method") in ("Network.loadingFinished", "Network.loadingFailed")}
    return started - ended


def transferred(events):
    """Bytes received over the network for the page and everything it loaded."""
    return sum(event["params"]["encodedDataLength"] for event in events
               if event.get("method") == "Network.loadingFinished")


def document_bytes(events):
    """Bytes received for the page's own HTML (its first document request)."""
    documents = [event["params"]["requestId"] for event in events
                 if event.get("method") == "Network.requestWillBeSent"
                 and event["params"].get("type") == "Document"]
    return next((event["params"]["encodedDataLength"] for event in events
                 if event.get("method") == "Network.loadingFinished"
                 and documents and event["params"]["requestId"] == documents[0]), 0)
