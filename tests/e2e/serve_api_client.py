#!/usr/bin/env python3
"""The JSON API of `casebook serve`, endpoint by endpoint, role by role, and
every kind of bad request the issue names. Driven by test_serve_api.sh,
which starts the server; stdlib only. Prints one line per check and exits
non-zero if any failed."""
import http.client
import json
import os
import socket
import sys
import time

HOST, PORT = "127.0.0.1", int(os.environ["CB_PORT"])
UPLOAD = os.environ["CB_UPLOAD"]
fails = 0


def check(cond, what):
    global fails
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        fails += 1


class Client:
    def __init__(self):
        self.cookie = None
        self.csrf = None

    def req(self, method, path, body=None, headers=None, raw=False):
        h = dict(headers or {})
        if self.cookie:
            h["Cookie"] = self.cookie
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        c = http.client.HTTPConnection(HOST, PORT, timeout=60)
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        sc = r.getheader("Set-Cookie")
        if sc and sc.startswith("cb_session="):
            self.cookie = sc.split(";")[0] if "Max-Age=0" not in sc else None
        c.close()
        if raw:
            return r.status, data, r
        try:
            return r.status, json.loads(data) if data else None, r
        except ValueError:
            return r.status, data, r

    def signin(self, user, pw):
        st, body, _ = self.req("POST", "/api/signin", {"user": user, "passphrase": pw})
        if st == 200:
            self.csrf = body["csrf"]
        return st, body

    def post(self, path, body, csrf=True, headers=None):
        h = dict(headers or {})
        if csrf and self.csrf:
            h.setdefault("X-CSRF-Token", self.csrf)
        return self.req("POST", path, body, h)


def multipart(files, fields):
    b = "----casebookTestBoundary7MA4YWxk"
    out = b""
    for k, v in fields.items():
        out += f"--{b}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n".encode()
    for name, data in files:
        out += (f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                f"Content-Type: text/plain\r\n\r\n").encode() + data + b"\r\n"
    out += f"--{b}--\r\n".encode()
    return out, {"Content-Type": f"multipart/form-data; boundary={b}"}


def is_error(body, status):
    return isinstance(body, dict) and body.get("error", {}).get("status") == status \
        and isinstance(body["error"].get("message"), str)


anon = Client()
st, body, _ = anon.req("GET", "/api/events")
check(st == 401 and is_error(body, 401), "no session: /api/events is 401 with a JSON error")
st, _, r = anon.req("GET", "/reports", raw=True)
check(st == 303 and r.getheader("Location").startswith("/signin?next=/reports"), "no session: a page redirects to /signin")
st, body, r = anon.req("GET", "/signin", raw=True)
check(st == 200 and b"<form" in body, "the sign-in page is public")
check("default-src 'self'" in (r.getheader("Content-Security-Policy") or ""), "pages carry a Content-Security-Policy")
check(r.getheader("X-Frame-Options") == "DENY", "pages cannot be framed")
st, body, _ = anon.req("GET", "/static/app.css", raw=True)
check(st == 200 and b"--ink" in body, "static files are served")
st, body, _ = anon.req("GET", "/static/../casebook.db", raw=True)
check(st in (400, 404), f"path traversal through /static is refused ({st})")
st, body, _ = anon.req("GET", "/static/%2e%2e/%2e%2e/etc/passwd")
check(st == 400, f"an encoded '..' is refused ({st})")
st, body, _ = anon.req("GET", "/api/%00/events")
check(st == 400 and is_error(body, 400), "a NUL in the path is refused")
st, body, _ = anon.req("GET", "/api/%FF%FE")
check(st == 400, f"bad UTF-8 in the path is refused ({st})")

# sign-in: wrong, malformed, throttled
ed = Client()
st, body = ed.signin("ed", "not the passphrase")
check(st == 401 and is_error(body, 401), "a wrong passphrase is 401")
st, body = ed.signin("nobody", "x")
check(st == 401 and body["error"]["message"] == "unknown user or wrong passphrase",
      "an unknown user gets the same answer as a wrong passphrase")
st, body, _ = ed.req("POST", "/api/signin", b"{not json", {"Content-Type": "application/json"})
check(st == 400 and is_error(body, 400), "malformed JSON at sign-in is 400")
st, body, _ = ed.req("GET", "/api/signin")
check(st == 405, "GET /api/signin is 405")
st, body = ed.signin("ed", "editor-pass")
check(st == 200 and body["role"] == "editor" and len(body["csrf"]) >= 32, "an editor signs in")
check(ed.cookie and ed.cookie.startswith("cb_session="), "the session is a cookie")
st, body, r = ed.req("GET", "/api/session")
check(st == 200 and body["user"] == "ed", "GET /api/session says who is signed in")

# upload
data = open(UPLOAD, "rb").read()
mp, h = multipart([("yanji.txt", data)], {"outlet": "API Test Wire", "url": "https://example.org/x"})
st, body, _ = ed.req("POST", "/api/documents", mp, h)
check(st == 403, "an upload without the CSRF token is 403")
h["X-CSRF-Token"] = ed.csrf
st, body, _ = ed.req("POST", "/api/documents", mp, h)
check(st == 200 and body["results"][0]["status"] == "new", "an editor uploads a report")
doc = body["results"][0]["document"]
nev = body["results"][0]["events"]
check(nev > 0, f"the upload's events were proposed ({nev})")
st, body, _ = ed.req("POST", "/api/documents", mp, h)
check(st == 200 and body["results"][0]["status"] == "duplicate", "the same bytes again are a duplicate")
mp2, h2 = multipart([("empty.txt", b""), ("bin.txt", b"\x00\x01\x02binary")], {})
h2["X-CSRF-Token"] = ed.csrf
st, body, _ = ed.req("POST", "/api/documents", mp2, h2)
check(st == 400 and all(x["status"] == "failed" and x["error"] for x in body["results"]),
      "empty and binary uploads fail, each with its reason")
mp3, h3 = multipart([("bad.txt", b"caf\xe9 au lait, not UTF-8")], {})
h3["X-CSRF-Token"] = ed.csrf
st, body, _ = ed.req("POST", "/api/documents", mp3, h3)
check(st == 400 and "UTF-8" in body["results"][0]["error"], "an invalid UTF-8 upload fails naming the reason")
st, body, _ = ed.req("POST", "/api/documents", b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\ntrunc",
                     {"Content-Type": "multipart/form-data; boundary=x", "X-CSRF-Token": ed.csrf})
check(st == 400 and is_error(body, 400), "a truncated multipart body is 400")
big = b"x" * (int(os.environ.get("CB_MAX_BODY", "1048576")) + 10)
try:
    st, body, _ = ed.req("POST", "/api/documents", big, {"Content-Type": "text/plain", "X-CSRF-Token": ed.csrf})
    check(st == 413, f"an oversized body is 413 ({st})")
except (ConnectionError, socket.error) as e:
    check(False, f"an oversized body is 413 (connection error {e})")

# documents
st, body, _ = ed.req("GET", "/api/documents?limit=10")
check(st == 200 and body["total"] >= 2 and body["documents"][0]["id"] == doc, "documents list, newest first")
st, body, _ = ed.req("GET", "/api/documents?limit=abc")
check(st == 400, "a bad limit is 400")
st, body, _ = ed.req("GET", f"/api/documents/{doc}")
check(st == 200 and "text" in body["document"] and len(body["events"]) == nev, "one document with its text and events")
st, body, _ = ed.req("GET", "/api/documents/999999")
check(st == 404 and is_error(body, 404), "an unknown document is 404")
st, body, _ = ed.req("GET", "/api/documents/12abc")
check(st == 404, "a malformed document id is 404")
st, body, _ = ed.req("DELETE", f"/api/documents/{doc}")
check(st == 405 and is_error(body, 405), "DELETE is 405")

# search
st, body, _ = ed.req("GET", "/api/search?q=Yanji")
check(st == 200 and any(x["id"] == doc for x in body["results"]), "search finds the upload")
check(any("[" in (x["snippet"] or "") for x in body["results"]), "search snippets mark the hits")
check("outlet" in body["facets"] and "type" in body["facets"] and "admin1" in body["facets"] and "year" in body["facets"],
      "search answers facets by outlet, year, event type and province")
st, body, _ = ed.req("GET", "/api/search?q=%22unbalanced")
check(st == 200, "a query that is not FTS5 syntax is searched as words")
st, body, _ = ed.req("GET", "/api/search?q=Yanji&limit=100000")
check(st == 400, "a limit over 200 is 400")

# events
st, body, _ = ed.req("GET", f"/api/events?document={doc}")
evs = body["events"]
check(st == 200 and len(evs) == nev, "events of one document")
eid = evs[0]["id"]
st, body, _ = ed.req("GET", "/api/events?status=maybe")
check(st == 400, "an unknown status filter is 400")
st, body, _ = ed.req("GET", f"/api/events/{eid}")
check(st == 200 and body["id"] == eid and "persons" in body, "one event with its persons")
st, body, _ = ed.req("GET", "/api/events/424242")
check(st == 404, "an unknown event is 404")
st, body, _ = ed.post(f"/api/events/{eid}/review", {"status": "accepted"}, csrf=False)
check(st == 403, "a review without CSRF is 403")
st, body, _ = ed.post(f"/api/events/{eid}/review", {"status": "accepted"},
                      headers={"X-CSRF-Token": "0" * 40})
check(st == 403, "a review with a wrong CSRF token is 403")
st, body, _ = ed.post(f"/api/events/{eid}/review", {"status": "accepted"})
check(st == 200 and body["status"] == "accepted" and body["reviewed_by"] == "ed", "an editor accepts an event, as themselves")
st, body, _ = ed.post(f"/api/events/{eid}/review", {"status": "nonsense"})
check(st == 400, "an unknown review status is 400")
st, body, _ = ed.post(f"/api/events/{eid}/edit", {"victims.count_min": 4, "victims.count_max": 6, "location.place": "Yanji"})
check(st == 200 and body["victims"]["count_min"] == 4 and body["victims"]["count_max"] == 6, "an editor edits fields")
st, body, _ = ed.post(f"/api/events/{eid}/edit", {"victims.count_min": 3, "type": "no-such-type"})
check(st == 400, "an edit with a bad field value is 400")
st, body, _ = ed.req("GET", f"/api/events/{eid}")
check(body["victims"]["count_min"] == 4, "a failed edit changed nothing (one transaction)")
st, body, _ = ed.post(f"/api/events/{eid}/edit", b'{"type": "arrest"', headers={"Content-Type": "application/json"})
check(st == 400 and is_error(body, 400), "a malformed JSON edit is 400")
st, body, _ = ed.post(f"/api/events/{eid}/edit", b'{"location.text": "\xff\xfe"}', headers={"Content-Type": "application/json"})
check(st == 400, "a JSON body with bad UTF-8 is 400")
st, body, _ = ed.post(f"/api/events/{eid}/frobnicate", {"x": 1})
check(st == 404, "an unknown event action is 404")

# incidents, statistics, gazetteer, export, users
st, body, _ = ed.req("GET", "/api/incidents")
check(st == 200 and "incidents" in body, "incidents")
st, body, _ = ed.req("GET", "/api/statistics")
check(st == 200 and "statistics" in body, "statistics")
st, body, _ = ed.req("GET", "/api/gazetteer?q=Hoeryong")
check(st == 200 and body["admin1"] == "North Hamgyong", "the gazetteer finds Hoeryong in North Hamgyong")
st, body, _ = ed.req("GET", "/api/gazetteer?q=Qwzxvillage")
check(st == 404, "an unknown place is 404")
st, body, r = ed.req("GET", "/api/export?what=events&format=csv&status=accepted", raw=True)
check(st == 200 and body.startswith(b"id,") and b"\r\n" in body and "attachment" in r.getheader("Content-Disposition"),
      "CSV export of accepted events")
st, body, _ = ed.req("GET", "/api/export?what=documents&format=json")
check(st == 200 and isinstance(body, list) and body, "JSON export of documents")
st, body, _ = ed.req("GET", "/api/export?what=secrets")
check(st == 400, "an unknown export is 400")
st, body, _ = ed.req("GET", "/api/export?what=persons&format=json&include_protected=1")
check(st == 200 and any("identity" in p for p in body["persons"]), "an editor may export protected fields")
st, body, _ = ed.req("GET", "/api/users")
check(st == 403, "only owners list users")

# the owner
ow = Client()
st, body = ow.signin("owner", os.environ["CB_OWNER_PASS"])
check(st == 200 and body["role"] == "owner", "the owner signs in")
st, body, _ = ow.req("GET", "/api/users")
check(st == 200 and {u["name"] for u in body["users"]} == {"owner", "ed", "vi"}, "the owner lists users")

# the viewer
vi = Client()
st, body = vi.signin("vi", "viewer-pass")
check(st == 200 and body["role"] == "viewer", "a viewer signs in")
name = os.environ["CB_PERSON_NAME"]
for path in ["/api/documents/1", "/api/events", "/api/events/1", "/api/search?q=Helong",
             "/api/export?what=events&format=json", "/api/export?what=documents&format=json",
             "/api/export?what=persons&format=csv", "/api/documents"]:
    st, body, _ = vi.req("GET", path, raw=True)
    check(st == 200 and name.encode() not in body, f"viewer: {path} answers without the protected name")
st, body, _ = vi.req("GET", "/api/documents/1")
check(os.environ["CB_PSEUDONYM"] in body["document"]["text"], "viewer: the name reads as its pseudonym")
st, body, _ = vi.req("GET", "/api/export?what=persons&format=json&include_protected=1")
check(st == 403, "viewer: protected export is 403")
st, body, _ = vi.post(f"/api/events/{eid}/review", {"status": "rejected"})
check(st == 403, "viewer: review is 403")
st, body, _ = vi.post(f"/api/events/{eid}/edit", {"type": "arrest"})
check(st == 403, "viewer: edit is 403")
mp4, h4 = multipart([("v.txt", b"[Fictional] a viewer's upload")], {})
h4["X-CSRF-Token"] = vi.csrf
st, body, _ = vi.req("POST", "/api/documents", mp4, h4)
check(st == 403, "viewer: upload is 403")

# sign-out
st, body, _ = ed.post("/api/signout", {})
check(st == 200, "sign-out")
st, body, _ = ed.req("GET", "/api/events")
check(st == 401, "after sign-out the session is gone")

# throttling: repeated failures for one user are refused for a while
t = Client()
codes = [t.signin("owner", "wrong")[0] for _ in range(6)]
check(codes[:5] == [401] * 5 and codes[5] == 429, f"failed sign-ins are limited ({codes})")
st, body = t.signin("owner", os.environ["CB_OWNER_PASS"])
check(st == 429, "while limited, even the right passphrase waits")

# the server is still up after all of that
st, body, _ = vi.req("GET", "/api/session")
check(st == 200, "the server still answers")
print(f"{fails} failed" if fails else "all API checks passed")
sys.exit(1 if fails else 0)
