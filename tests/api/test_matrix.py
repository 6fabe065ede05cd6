"""The authorization matrix (issue 11): every operation of GET /api/v1/openapi.json x every kind
of caller x inside and outside the caller's scope, on one server per backend.

The operations come from the route table through the OpenAPI document (x-capability, x-roles,
x-scope, x-resource), so a new route cannot skip the matrix: OPS below must have an entry for
its operationId, or the matrix fails naming it. Each entry builds a request whose body is valid
from the fixtures; writes use fresh fixtures, so a run is repeatable and a refusal cannot be a
domain error in disguise (a lift refused because the area was already lifted hides nothing).

For every cell the matrix asserts:
  * anonymous on a route that is not public: 401; a role missing from x-roles: 403;
  * inside scope with the role: 2xx, or a domain reason written down in the entry;
  * outside scope: never 2xx. The answer is 404 and reads exactly like the same request with an
    id that does not exist (so ids cannot be probed), unless the entry documents a 403 and why
    (docs/access.md lists them); lists filter instead, and must not hold the outside record;
  * no 5xx anywhere (the server also checks every JSON answer against its declared schema);
  * no name of a person outside the caller's scope in any answer, and no record of another
    unit in a scoped answer.
The findings issue 11 lists get their own tests below, spelled out.

Operations of the modules that landed after the matrix (GATE_ONLY_TAGS) and have no entry yet
get the gate half only (test_gate_of_operations_without_an_entry): 401 anonymous, 403 for a role
outside x-roles or below the top level, and no 5xx for anyone, with ids that do not exist. Their
scope (inside and outside) is checked by their own suites (test_telehealth, test_outbreak) until
each has an entry here.
"""
import collections
import http.client
import itertools
import json
import os
import re
import socket
import time
import unittest

import harness
from harness import ts

HERE = os.path.dirname(os.path.abspath(__file__))
TESTDATA = os.environ.get("MEKONG_TESTDATA") or os.path.join(HERE, "..", "..", "..", "shared", "testdata")
SHC_ISSUER = "https://spec.smarthealth.cards/examples/issuer"
PASSWORD = "mekong-demo"
UNKNOWN_ID = 987654321
_seq = itertools.count(1)


def seq():
    return next(_seq)


class Client:
    """One keep-alive HTTP/1.1 connection to the server (http.client), reopened when closed."""

    def __init__(self, port, source=None):
        self.port, self.source, self.conn, self.sent = port, source, None, 0

    def close(self):
        if self.conn:
            self.conn.close()
        self.conn = None

    def request(self, method, path, body=None, raw=None, content_type=None, token=None, api_key=None,
                headers=None):
        """Returns (status, parsed JSON or raw bytes, headers)."""
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        h = {}
        if data is not None:
            h["Content-Type"] = content_type or "application/json"
        if token:
            h["Authorization"] = "Bearer " + token
        if api_key:
            h["X-Api-Key"] = api_key
        h.update(headers or {})
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=60,
                    source_address=(self.source, 0) if self.source else None)
            try:
                self.conn.request(method, path, body=data, headers=h)
                resp = self.conn.getresponse()
                payload = resp.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed an idle keep-alive connection before reading the request.
                self.close()
                if attempt:
                    raise
        self.sent += 1
        if (resp.getheader("Connection") or "").lower() == "close":
            self.close()
        ctype = resp.getheader("Content-Type") or ""
        if ctype.startswith("application/json") and payload:
            return resp.status, json.loads(payload), resp.headers
        return resp.status, payload, resp.headers


class Who:
    """One identity of the matrix: a role in a unit, with the sites inside and outside its scope."""

    def __init__(self, name, role, unit, inside, outside, token=None, api_key=None, person=None):
        self.name, self.role, self.unit = name, role, unit
        self.inside, self.outside = inside, outside  # site keys
        self.token, self.api_key, self.person = token, api_key, person
        self.unit_id = None
        self.top_level = False

    def auth(self):
        return {"token": self.token, "api_key": self.api_key}

    def __repr__(self):
        return self.name


class Req:
    """A request the matrix sends; `probe` says where its out-of-scope id sits, so the same request
    with an id that does not exist can be compared with it."""

    def __init__(self, path=None, query=None, body=None, raw=None, content_type=None, probe=None,
                 absent=None, check=None, expect=None, note=None, token=None, source=False, domain=None):
        self.path = path or {}
        self.query = query or {}
        self.body, self.raw, self.content_type = body, raw, content_type
        self.probe = probe      # ("path"|"query"|"body"|"batch", key, unknown value)
        self.absent = absent    # (list key, id): a list answer must not hold this record
        self.check = check      # f(status, body) -> error text or None
        self.expect = expect    # overrides the entry's outside expectation for this variant
        self.note = note        # which variant, for the failure message
        self.token = token      # a session of its own (logout)
        self.source = source    # from an address of its own (registrations are limited per address)
        self.domain = domain or {}  # inside: status -> why, for this identity's request only


# ---- expectations ------------------------------------------------------------------------------

NOT_FOUND = "404"   # outside scope reads like an unknown id
FILTERED = "filtered"  # a list: 2xx without the outside record


def forbidden(why):
    return ("403", why)


PLACE = forbidden("a unit or venue named in a write's body: org units are public (GET /org-units) "
                  "and venues are public places whose posters carry their ids, so the answer says "
                  "'outside your org unit' instead of pretending the place does not exist")
CITIZEN_OTHERS = forbidden("a citizen is refused every record but their own, whether it exists or "
                           "not, so the 403 reveals nothing")
BY_DESIGN = ("2xx", "checkpoints read the colour of travellers from anywhere (the read is logged): "
                    "a traveller from another district is checked at the border")
GATES_RECORD_ANYONE = ("2xx", "a device (a gate: trusted hardware) checks in whoever passes it at a venue "
                              "of its unit, travellers from anywhere (docs/access.md)")


class Op:
    """How to call one operation. build(m, who, site, fresh) returns a Req or a list of variants
    for the outside scope (m: the matrix, site: a site dict, fresh: the caller's role may do this,
    so writes need fresh fixtures)."""

    def __init__(self, build, out=NOT_FOUND, domain=None, refused=None, outside=None):
        self.build = build
        self.out = out
        self.domain = domain or {}     # status -> why, for inside scope with the role
        self.refused = refused or {}   # role -> why a role with the capability is still refused
        self.outside = outside         # build for the outside scope, when it differs


# ---- the matrix --------------------------------------------------------------------------------


class Matrix:
    def __init__(self, server, client):
        self.s = server
        self.c = client
        self.units = {}   # id -> parent id
        self.codes = {}   # code -> id
        self.sites = {}
        self.ids = collections.Counter()
        self.sources = itertools.count(2)
        self.spare_sessions = {}  # identity -> a session its login cell opened
        self.admins = []  # who reloads the org-unit tree

    # -- plumbing --

    def call(self, method, path, who=None, **kw):
        auth = who.auth() if who else {}
        status, body, hdrs = self.c.request(method, path, token=kw.pop("token", auth.get("token")),
                                            api_key=kw.pop("api_key", auth.get("api_key")), **kw)
        if status >= 500:
            raise AssertionError("%s %s answered %d: %s" % (method, path, status, body))
        return status, body, hdrs

    def ok(self, method, path, who, want=(200, 201), **kw):
        status, body, _ = self.call(method, path, who, **kw)
        if status not in want:
            raise AssertionError("fixture %s %s as %s: %d %s" % (method, path, who, status, body))
        return body

    def covers(self, unit_id, target):
        while target is not None:
            if target not in self.units and self.admins:
                # A unit made during the run (createOrgUnit cells): its parent from the API.
                for admin in self.admins:
                    status, u, _ = self.call("GET", "/api/v1/org-units/%d" % target, admin)
                    if status == 200:
                        self.units[target] = u["parent_id"]
                        break
            if target == unit_id:
                return True
            target = self.units.get(target)
        return False

    # -- fixtures --

    def load_units(self, admin):
        queue = [None]
        while queue:
            parent = queue.pop()
            q = "" if parent is None else "?parent_id=%d" % parent
            for u in self.ok("GET", "/api/v1/org-units" + q, admin)["items"]:
                if u["id"] in self.units:
                    continue
                self.units[u["id"]] = u["parent_id"]
                self.codes[u["code"]] = u["id"]
                queue.append(u["id"])

    def person(self, site, **extra):
        n = seq()
        body = {"full_name": "Matrix Person %d" % n, "document_type": "passport",
                "document_number": "MX%07d" % n, "nationality": "VN", "language": "vi",
                "birth_date": "1990-01-%02d" % (n % 28 + 1), "org_unit_id": site["unit"]}
        body.update(extra)
        return self.ok("POST", "/api/v1/people", site["admin"], body=body)["id"]

    def venue(self, site):
        v = self.ok("POST", "/api/v1/venues", site["admin"], body={
            "name": "Matrix venue %d" % seq(), "kind": "cafe", "capacity": 20,
            "org_unit_id": site["unit"], "default_stay_minutes": 30})
        poster = self.ok("GET", "/api/v1/venues/%d/poster" % v["id"], site["admin"])
        return v["id"], poster["qr_text"]

    def checkin(self, site, person=None, venue=None, hours_ago=1.0):
        body = {"person_id": person or self.person(site), "venue_id": venue or site["venue"]}
        if hours_ago is not None:
            body["time_in"] = ts(hours_ago)
        return self.ok("POST", "/api/v1/checkins", site["admin"], body=body)["id"]

    def case(self, site, person=None):
        return self.ok("POST", "/api/v1/cases", site["admin"], body={
            "person_id": person or self.person(site), "onset_at": ts(24)})["id"]

    def alert(self, site):
        r = self.ok("POST", "/api/v1/devices/readings", None, api_key=site["device"], body={
            "kind": "crowd", "venue_id": site["venue"], "count": 50})
        return r["alert"]["id"]

    def credential(self, site, person=None):
        return self.ok("GET", "/api/v1/people/%d/health-code/credential" % (person or site["person"]),
                       site["admin"])

    def area(self, site):
        area = "mx-area-%d" % seq()
        self.ok("POST", "/api/v1/risk-areas", site["admin"], body={
            "id": area, "level": "medium", "venue_id": site["area_venue"], "from": ts(48)})
        return area

    def registration(self, site):
        """A traveller registers from an address of their own (127.0.0.N: registrations are limited
        per address and hour)."""
        n = seq()
        c = Client(self.s.port, source="127.0.0.%d" % next(self.sources))
        try:
            status, body, _ = c.request("POST", "/api/v1/registrations", body={
                "full_name": "Matrix Traveller %d" % n, "document_type": "passport",
                "document_number": "MR%07d" % n, "nationality": "LA", "language": "lo",
                "org_unit_id": site["unit"], "username": "mx.traveller.%d" % n,
                "password": "traveller-pass"})
        finally:
            c.close()
        if status != 201:
            raise AssertionError("registration: %d %s" % (status, body))
        return body["registration_id"]

    def directive(self, site):
        """A directive from the site's province to the site's commune."""
        return self.ok("POST", "/api/v1/directives", site["admin"], body={
            "title": "Matrix directive %d" % seq(), "due_at": ts(-48), "recipients": [site["unit"]]})["id"]

    def task(self, site):
        return self.ok("POST", "/api/v1/tasks", site["admin"], body={
            "title": "Matrix task %d" % seq(), "unit_id": site["unit"]})["id"]

    def make_site(self, key, code, admin):
        site = {"key": key, "code": code, "unit": self.codes[code], "admin": admin}
        site["person"] = self.person(site)
        site["venue"], site["poster"] = self.venue(site)
        site["venue2"], site["poster2"] = self.venue(site)
        site["area_venue"], _ = self.venue(site)
        device = self.ok("POST", "/api/v1/users", admin, body={
            "username": "mx.device.%s" % key, "role": "device", "org_unit_id": site["unit"]})
        site["device"], site["device_user"] = device["api_key"], device["id"]
        site["facility"] = self.ok("POST", "/api/v1/facilities", admin, body={
            "name": "Matrix clinic %s" % key, "kind": "clinic", "org_unit_id": site["unit"]})["id"]
        site["checkin"] = self.checkin(site, person=site["person"])
        site["alert"] = self.alert(site)
        site["credential"] = self.credential(site)
        site["area"] = self.area(site)
        site["registration"] = self.registration(site)
        site["directive"] = self.directive(site)
        site["task"] = self.task(site)
        self.sites[key] = site
        return site

    def contacts_case(self, site, other):
        """A case in `site` with one contact at home and one from `other` (same venue, same hour)."""
        case_person, near, far = self.person(site), self.person(site), self.person(other)
        rows = [{"person_id": p, "venue_id": site["venue2"], "time_in": ts(6), "time_out": ts(5)}
                for p in (case_person, near, far)]
        body = self.ok("POST", "/api/v1/checkins/batch", site["admin"], body={"checkins": rows, "strict": True})
        assert body["imported"] == 3, body
        return self.case(site, case_person), near, far


# ---- the table: one entry per operationId --------------------------------------------------------


def person_op(**kw):
    """A read of /people/{id}/...: the site's person (a citizen: themself, or the other citizen)."""
    def build(m, who, site, fresh):
        pid = site["person"]
        if who.role == "citizen":
            pid = who.person if m.inside else m.other_citizen(who).person
        return Req(path={"id": pid}, probe=("path", "id", UNKNOWN_ID), **kw)
    return build


def fresh_person_op(body):
    def build(m, who, site, fresh):
        pid = m.person(site) if fresh else site["person"]
        return Req(path={"id": pid}, body=body(), probe=("path", "id", UNKNOWN_ID))
    return build


def no_args(**kw):
    return lambda m, who, site, fresh: Req(**kw)


def listed(field, site_key, **kw):
    """A list: inside, as is; outside, the same request must not list the outside site's record
    (the item whose `field` is the site's `site_key`)."""
    def build(m, who, site, fresh):
        return Req(absent=(field, site[site_key]), **kw)
    return build


def b_logout(m, who, site, fresh):
    if fresh and who.token:
        # A session of its own, so that the identity's own session lives on: the one its login
        # cell opened (login runs first: operations go in path order), else a new one.
        return Req(token=m.spare_sessions.pop(who.name, None) or m.s.login(who.login, who.password))
    return Req()


def b_login(m, who, site, fresh):
    """Signs in as the identity itself where it has a password (the session is kept for logout,
    which saves a password hash per identity), else as a tracer account of the matrix."""
    if not who.token:
        return Req(body={"username": "mx.login", "password": "matrix-login-pass"})

    def keep(status, body):
        m.spare_sessions[who.name] = body["token"]
    return Req(body={"username": who.login, "password": who.password}, check=keep)


def b_create_org_unit(m, who, site, fresh):
    n = seq()
    return Req(body={"parent_id": site["unit"], "level": "village", "name": "Matrix village %d" % n,
                     "code": "MX-V-%d" % n})


def b_list_people(m, who, site, fresh):
    return Req(query={"limit": 500})


def b_list_people_out(m, who, site, fresh):
    return Req(query={"org_unit_id": site["unit"]}, probe=("query", "org_unit_id", UNKNOWN_ID))


def b_create_person(m, who, site, fresh):
    n = seq()
    return Req(body={"full_name": "Matrix Registered %d" % n, "document_type": "national_id",
                     "document_number": "MC%08d" % n, "nationality": "VN", "language": "vi",
                     "org_unit_id": site["unit"]})


def b_register(m, who, site, fresh):
    n = seq()
    return Req(body={"full_name": "Matrix Self %d" % n, "document_type": "passport",
                     "document_number": "MS%07d" % n, "nationality": "TH", "language": "th",
                     "org_unit_id": site["unit"], "username": "mx.self.%d" % n,
                     "password": "traveller-pass"}, source=True)


def b_registration(reject):
    def build(m, who, site, fresh):
        # Outside, the answer must be a refusal: the site's registration serves every cell.
        rid = m.registration(site) if fresh and m.inside else site["registration"]
        return Req(path={"id": rid}, body={"reason": "the document was unreadable"} if reject else {},
                   probe=("path", "id", UNKNOWN_ID))
    return build


def b_create_venue(m, who, site, fresh):
    return Req(body={"name": "Matrix new venue %d" % seq(), "kind": "market", "capacity": 40,
                     "org_unit_id": site["unit"]})


def b_venue(m, who, site, fresh):
    return Req(path={"id": site["venue"]}, probe=("path", "id", UNKNOWN_ID))


def b_create_facility(m, who, site, fresh):
    return Req(body={"name": "Matrix facility %d" % seq(), "kind": "lab", "org_unit_id": site["unit"]})


def b_create_user(m, who, site, fresh):
    return Req(body={"username": "mx.user.%d" % seq(), "role": "device", "org_unit_id": site["unit"]})


def b_access_log(m, who, site, fresh):
    return Req(query={"person_id": site["person"]}, probe=("query", "person_id", UNKNOWN_ID))


def b_create_checkin(m, who, site, fresh):
    inside = m.inside
    if who.role == "citizen":
        if inside:
            return Req(body={"qr": site["poster"]})
        return Req(body={"qr": m.sites[who.inside]["poster"], "person_id": m.other_citizen(who).person},
                   expect=CITIZEN_OTHERS)
    home = m.sites[who.inside]
    if inside:
        return Req(body={"venue_id": site["venue"], "person_id": m.person(site) if fresh else site["person"]})
    # Outside: a person of another unit at a venue of one's own (reads like an unknown person),
    # and a person of one's own at a venue of another unit (a place: 403).
    person = m.person(site) if fresh else site["person"]
    if who.role == "device":
        person_outside = Req(body={"venue_id": home["venue"], "person_id": person},
                             expect=GATES_RECORD_ANYONE, note="person outside")
    else:
        person_outside = Req(body={"venue_id": home["venue"], "person_id": person},
                             probe=("body", "person_id", UNKNOWN_ID), note="person outside")
    return [person_outside,
            Req(body={"venue_id": site["venue"], "person_id": m.person(home) if fresh else home["person"]},
                expect=PLACE, note="venue outside")]


def b_checkout(m, who, site, fresh):
    inside = m.inside
    if who.role == "citizen":
        if not inside:  # another's check-in: refused, so nothing fresh is needed
            return Req(path={"id": m.sites[m.other_citizen(who).inside]["checkin"]}, body={},
                       expect=CITIZEN_OTHERS)
        home = m.sites[who.inside]
        cid = m.checkin(home, person=who.person, venue=home["venue2"], hours_ago=None) if fresh \
            else home["checkin"]
        return Req(path={"id": cid}, body={})
    cid = m.checkin(site) if fresh else site["checkin"]
    return Req(path={"id": cid}, body={}, probe=("path", "id", UNKNOWN_ID))


def b_batch(m, who, site, fresh):
    inside = m.inside
    def imported(n):
        def check(status, body):
            if status == 201 and body.get("imported") != n:
                return "imported %s, expected %d: %s" % (body.get("imported"), n, body.get("rejected"))
        return check
    if inside:
        person = m.person(site) if fresh else site["person"]
        return Req(body={"checkins": [{"person_id": person, "venue_id": site["venue"], "time_in": ts(2)}]},
                   check=imported(1))
    home = m.sites[who.inside]
    person = m.person(site) if fresh else site["person"]
    if who.role == "device":
        person_outside = Req(body={"checkins": [{"person_id": person, "venue_id": home["venue"], "time_in": ts(2)}]},
                             expect=GATES_RECORD_ANYONE, check=imported(1), note="person outside")
    else:
        person_outside = Req(body={"checkins": [{"person_id": person, "venue_id": home["venue"], "time_in": ts(2)}]},
                             probe=("batch", "person_id", UNKNOWN_ID), expect=FILTERED, check=imported(0),
                             note="person outside")
    return [person_outside,
            Req(body={"checkins": [{"person_id": m.person(home) if fresh else home["person"],
                                    "venue_id": site["venue"], "time_in": ts(2)}]},
                expect=FILTERED, check=imported(0), note="venue outside")]


def b_contacts(m, who, site, fresh):
    return Req(path={"id": site["person"]}, probe=("path", "id", UNKNOWN_ID))


def b_confirm_case(m, who, site, fresh):
    return Req(body={"person_id": m.person(site) if fresh else site["person"], "onset_at": ts(24)},
               probe=("body", "person_id", UNKNOWN_ID))


def b_case(m, who, site, fresh):
    return Req(path={"id": site["case"]}, probe=("path", "id", UNKNOWN_ID))


def b_release(m, who, site, fresh):
    return Req(path={"id": m.case(site) if fresh else site["case"]}, body={},
               probe=("path", "id", UNKNOWN_ID))


def b_verify(m, who, site, fresh):
    return Req(body={"qr": site["credential"]["qr_text"]})


def b_trust_eu(m, who, site, fresh):
    with open(os.path.join(TESTDATA, "eu-dcc", "AT", "2DCode", "raw", "1.json")) as f:
        eu = json.load(f)
    return Req(body={"certificate": eu["TESTCTX"]["CERTIFICATE"], "country": "AT"})


def b_trust_shc(m, who, site, fresh):
    with open(os.path.join(TESTDATA, "smart-health-cards", "issuer", ".well-known", "jwks.json")) as f:
        jwks = f.read()
    return Req(body={"issuer": SHC_ISSUER, "jwks": jwks})


def b_shc_crl(m, who, site, fresh):
    m.trust_shc_once()
    crl = {"kid": "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s", "method": "rid", "ctr": seq(),
           "rids": ["matrix.%d" % seq()]}
    return Req(body={"issuer": SHC_ISSUER, "crl": json.dumps(crl)})


def b_revoke(m, who, site, fresh):
    cred = m.credential(site) if fresh else site["credential"]
    return Req(body={"credential_id": cred["credential_id"], "reason": "phone lost"},
               probe=("body", "credential_id", "0123456789abcdef"))


DCC_TEST = {"tg": "840539006", "tt": "LP6464-4", "sc": "2026-11-20T08:00:00Z", "tr": "260415000",
            "tc": "CDC Quang Ninh laboratory"}


def b_eu_dcc(m, who, site, fresh):
    return Req(path={"id": site["person"]}, body={"type": "t", "entry": DCC_TEST, "valid_days": 30},
               probe=("path", "id", UNKNOWN_ID))


def b_summary_out(m, who, site, fresh):
    return Req(query={"org_unit_id": site["unit"]}, probe=("query", "org_unit_id", UNKNOWN_ID))


def b_check_policy(m, who, site, fresh):
    return Req(raw=m.policy_text().encode(), content_type="application/toml")


def b_activate_policy(m, who, site, fresh):
    text = m.policy_text()
    version = int(re.search(r"^version = (\d+)", text, re.M).group(1))
    if fresh:
        text = re.sub(r"^version = \d+", "version = %d" % (version + 1), text, count=1, flags=re.M)
    return Req(raw=text.encode(), content_type="application/toml")


def b_declare(m, who, site, fresh):
    inside = m.inside
    body = {"id": "mx-decl-%d" % seq(), "name": "Matrix area", "level": "medium",
            "org_unit_id": site["unit"], "from": ts(24)}
    if inside:
        return Req(body=body)
    return [Req(body=body, expect=PLACE, note="org unit outside"),
            Req(body={"id": "mx-decl-%d" % seq(), "level": "high", "venue_id": site["venue"], "from": ts(24)},
                expect=PLACE, note="venue outside")]


def b_lift(m, who, site, fresh):
    return Req(path={"area": m.area(site) if fresh else site["area"]}, body={},
               probe=("path", "area", "mx-no-such-area"))


def b_reading(m, who, site, fresh):
    inside = m.inside
    home = m.sites[who.inside]
    if inside:
        return Req(body={"kind": "temperature", "person_id": m.person(site) if fresh else site["person"],
                         "venue_id": site["venue"], "temperature_c": 36.6})
    return [Req(body={"kind": "temperature", "person_id": m.person(site) if fresh else site["person"],
                      "venue_id": home["venue"], "temperature_c": 38.9},
                probe=("body", "person_id", UNKNOWN_ID), note="person outside"),
            Req(body={"kind": "crowd", "venue_id": site["venue"], "count": 5}, expect=PLACE,
                note="venue outside")]


def b_ack(m, who, site, fresh):
    return Req(path={"id": m.alert(site) if fresh else site["alert"]}, probe=("path", "id", UNKNOWN_ID))


def trip_body():
    n = seq()
    return {"mode": "bus", "carrier": "MX", "service": "MX%d" % n, "origin": "HLG", "destination": "MCI",
            "departure": ts(5), "arrival": ts(3)}


def b_trip(m, who, site, fresh):
    return Req(path={"id": m.trip})


def b_passengers(m, who, site, fresh):
    return Req(path={"id": m.trip}, body={"passengers": [{"person_id": site["person"], "seat": "%dA" % (seq() % 40 + 1)}]})


def b_manifest(m, who, site, fresh):
    n = seq()
    csv = ("mode,carrier,service,service_date,origin,destination,departure,arrival,seat,carriage,person_id,"
           "document_number,nationality\n"
           "bus,MX,MXM%d,,HLG,MCI,%s,%s,3B,,%d,,\n" % (n, ts(5), ts(3), site["person"]))
    return Req(raw=csv.encode(), content_type="text/csv")


def b_issue_directive(m, who, site, fresh):
    body = {"title": "Matrix order %d" % seq(), "due_at": ts(-24), "recipients": [site["unit"]]}
    if m.inside:
        own = {403: "directives go strictly down the tree: a commune officer is at the site's own unit"} \
            if who.unit_id == site["unit"] else {}
        return Req(body=body, domain=own)
    return Req(body=body, expect=PLACE)


def b_answer_directive(note):
    def build(m, who, site, fresh):
        mine = fresh and m.inside and who.unit_id == site["unit"]
        did = m.directive(site) if mine else site["directive"]
        other = {} if mine else {403: "only the unit a directive is addressed to answers it"}
        return Req(path={"id": did}, body={"note": "done by the matrix"} if note else None,
                   probe=("path", "id", UNKNOWN_ID), domain=other)
    return build


def b_create_task(m, who, site, fresh):
    body = {"title": "Matrix job %d" % seq(), "unit_id": site["unit"], "priority": "high"}
    return Req(body=body, expect=None if m.inside else PLACE)


def b_update_task(m, who, site, fresh):
    tid = m.task(site) if fresh and m.inside else site["task"]
    return Req(path={"id": tid}, body={"status": "in_progress", "note": "started"},
               probe=("path", "id", UNKNOWN_ID))


def b_unit_query(m, who, site, fresh):
    return Req(query={"unit_id": site["unit"]}, probe=("query", "unit_id", UNKNOWN_ID))


def b_submit_report(m, who, site, fresh):
    return Req(body={"text": "Matrix report %d: quiet day" % seq()})


STAFF_NO_PERSON = {409: "a staff account has no person record of its own"}
OWN_UNIT = ("2xx", "a report is always of the caller's own unit: the request names nothing outside it")

GATE_ONLY_TAGS = {"telehealth", "outbreak"}


def gate_only(op):
    return op["operationId"] not in OPS and bool(GATE_ONLY_TAGS & set(op.get("tags", [])))


OPS = {
    # system
    "getHealth": Op(no_args()),
    "getMetrics": Op(no_args()),
    "getOpenApi": Op(no_args()),
    # auth and the tree
    "login": Op(b_login),
    "logout": Op(b_logout, domain={400: "a device's API key is not a session; an admin revokes it"}),
    "getMe": Op(no_args()),
    "listOrgUnits": Op(no_args()),
    "getOrgUnit": Op(lambda m, who, site, fresh: Req(path={"id": site["unit"]})),
    "createOrgUnit": Op(b_create_org_unit, out=PLACE),
    # people
    "listPeople": Op(b_list_people, outside=b_list_people_out,
                     refused={"citizen": "citizens list no one; they read their own record"}),
    "createPerson": Op(b_create_person, out=PLACE),
    "getPerson": Op(person_op()),
    "register": Op(b_register),
    "listRegistrations": Op(listed("registration_id", "registration"), out=FILTERED),
    "confirmRegistration": Op(b_registration(False)),
    "rejectRegistration": Op(b_registration(True)),
    # venues, facilities, users, access log
    "listVenues": Op(listed("id", "venue"), out=FILTERED),
    "createVenue": Op(b_create_venue, out=PLACE),
    "getVenue": Op(b_venue),
    "getVenuePoster": Op(b_venue),
    "getVenuePosterPng": Op(b_venue),
    "getVenuePosterSvg": Op(b_venue),
    "listFacilities": Op(listed("id", "facility"), out=FILTERED),
    "createFacility": Op(b_create_facility, out=PLACE),
    "createUser": Op(b_create_user, out=PLACE),
    "listUsers": Op(listed("id", "device_user", query={"limit": 500}), out=FILTERED),
    "listAccessLog": Op(b_access_log),
    # tracing
    "createCheckin": Op(b_create_checkin),
    "checkout": Op(b_checkout),
    "createCheckinBatch": Op(b_batch),
    "listPersonCheckins": Op(person_op()),
    "listPersonContacts": Op(b_contacts),
    "getVenueOccupancy": Op(b_venue),
    "checkMyExposure": Op(no_args()),
    # cases
    "confirmCase": Op(b_confirm_case),
    "listCases": Op(listed("id", "case", query={"limit": 500}), out=FILTERED),
    "getCase": Op(b_case),
    "listCaseContacts": Op(b_case),
    "releaseCase": Op(b_release),
    # health codes and credentials
    "getHealthCode": Op(person_op()),
    "getCredential": Op(person_op()),
    "getCredentialPng": Op(person_op()),
    "getCredentialSvg": Op(person_op()),
    "getPublishedKeys": Op(no_args()),
    "getRevocations": Op(no_args()),
    "getDccSigner": Op(no_args()),
    "getTrustBundle": Op(no_args()),
    "verify": Op(b_verify),
    "trustEuSigner": Op(b_trust_eu),
    "trustShcIssuer": Op(b_trust_shc),
    "importShcRevocations": Op(b_shc_crl),
    "revokeCredential": Op(b_revoke),
    "rotateSigningKey": Op(no_args()),
    "issueEuDcc": Op(b_eu_dcc),
    "listEuDccs": Op(person_op()),
    "listMyEuDccs": Op(no_args(), domain=STAFF_NO_PERSON),
    "getCodeSummary": Op(no_args(), outside=b_summary_out,
                         refused={"citizen": "counts are for staff of a unit",
                                  "checkpoint_officer": "counts are for staff of a unit"}),
    "getCodeSummaryByUnit": Op(no_args(), outside=b_summary_out,
                               refused={"citizen": "counts are for staff of a unit",
                                        "checkpoint_officer": "counts are for staff of a unit"}),
    # policy, risk areas and the events that change codes
    "getPolicy": Op(no_args()),
    "listPolicyVersions": Op(no_args()),
    "checkPolicy": Op(b_check_policy),
    "activatePolicy": Op(b_activate_policy),
    "declareRiskArea": Op(b_declare),
    "liftRiskArea": Op(b_lift),
    "recordTest": Op(fresh_person_op(lambda: {"result": "negative", "kind": "antigen", "sampled_at": ts(2)})),
    "recordVaccination": Op(fresh_person_op(lambda: {"vaccine": "EU/1/20/1528", "dose": 1, "given_at": ts(72),
                                                     "country": "VN"})),
    "recordSymptoms": Op(fresh_person_op(lambda: {"symptoms": "cough"})),
    "reportMySymptoms": Op(no_args(body={"symptoms": "sore throat"})),
    # command
    "recordReading": Op(b_reading),
    "listAlerts": Op(listed("id", "alert", query={"limit": 500}), out=FILTERED),
    "acknowledgeAlert": Op(b_ack),
    # the command centre: directives down the tree, tasks, reports up, the dashboard
    "issueDirective": Op(b_issue_directive),
    "listDirectives": Op(listed("id", "directive"), out=FILTERED),
    "getDirective": Op(lambda m, who, site, fresh: Req(path={"id": site["directive"]},
                                                       probe=("path", "id", UNKNOWN_ID))),
    "acknowledgeDirective": Op(b_answer_directive(False)),
    "completeDirective": Op(b_answer_directive(True)),
    "createTask": Op(b_create_task),
    "listTasks": Op(listed("id", "task"), out=FILTERED),
    "getTask": Op(lambda m, who, site, fresh: Req(path={"id": site["task"]}, probe=("path", "id", UNKNOWN_ID))),
    "updateTask": Op(b_update_task),
    "submitReport": Op(b_submit_report, out=OWN_UNIT),
    "listReports": Op(no_args(), outside=b_unit_query, out=PLACE),
    "readDashboard": Op(no_args(), outside=b_unit_query, out=PLACE),
    # travel: trips are shared by every unit
    "createTrip": Op(lambda m, who, site, fresh: Req(body=trip_body())),
    "getTrip": Op(b_trip),
    "addPassengers": Op(b_passengers),
    "importManifest": Op(b_manifest),
    "listPersonTrips": Op(person_op()),
    "listCoTravellers": Op(person_op()),
}

# Cells whose outside answer differs from the entry's, by role, and why.
OUTSIDE_BY_ROLE = {
    ("getHealthCode", "checkpoint_officer"): BY_DESIGN,
}


def digits_of(value):
    return str(value)


def normalise(body, value):
    """An error as a caller sees it, with the id it named taken out."""
    if not isinstance(body, dict) or "error" not in body:
        return body
    e = dict(body["error"])
    e["message"] = e["message"].replace(str(value), "<id>")
    return e


class MatrixTest(unittest.TestCase):
    """One server for the matrix and the findings, per backend."""

    @classmethod
    def setUpClass(cls):
        started = time.time()
        db = harness.new_database_url()
        code, out, err = harness.run_cli("demo", "--people", "200", "--venues", "30", db=db)
        assert code == 0, err
        gate_key = re.search(r"shown once\): (\S+)", out).group(1)
        # A second top-level unit, so that the province's own staff have an outside too.
        for args in (("--code", "VN-HP", "--name", "Hải Phòng", "--level", "province",
                      "--time-zone", "Asia/Ho_Chi_Minh"),
                     ("--code", "HP-01", "--name", "Hồng Bàng", "--level", "district", "--parent", "VN-HP"),
                     ("--code", "HP-01-01", "--name", "Hồng Bàng commune 1", "--level", "commune",
                      "--parent", "HP-01")):
            code, out, err = harness.run_cli("org-unit", "add", *args, db=db)
            assert code == 0, err
        code, out, err = harness.run_cli("user", "add", "--username", "admin.hp", "--role", "admin",
                                         "--org-unit", "VN-HP", db=db, stdin=PASSWORD + "\n")
        assert code == 0, err
        cls.server = harness.Server(db=db, demo_people=0).start()
        s = cls.server
        cls.client = Client(s.port)
        m = cls.m = Matrix(s, cls.client)
        m.trip = None
        m._shc_trusted = False
        m._policy = None

        def login(name, password=PASSWORD):
            return s.login(name, password)

        admin = Who("admin", "admin", "VN-QN", "c11", "hp", token=login("admin"))
        admin_hp = Who("admin.hp", "admin", "VN-HP", "hp", "c11", token=login("admin.hp"))
        m.load_units(admin)
        m.load_units(admin_hp)
        m.admins = [admin, admin_hp]
        units = m.codes

        def user(name, role, unit, password="matrix-pass-1", person=None):
            body = {"username": name, "password": password, "role": role, "org_unit_id": units[unit]}
            if person:
                body["person_id"] = person
            m.ok("POST", "/api/v1/users", admin, body=body)

        qn = {"unit": units["QN-02-01"], "admin": admin}
        citizen2_person = m.person(qn)
        user("officer.district", "command_officer", "QN-01")
        user("tracer.other", "tracer", "QN-02")
        user("citizen.two", "citizen", "QN-02-01", person=citizen2_person)
        user("mx.login", "tracer", "QN-01-01", password="matrix-login-pass")
        device_halong = m.ok("POST", "/api/v1/users", admin, body={
            "username": "gate.halong.1", "role": "device", "org_unit_id": units["QN-01"]})["api_key"]

        me_citizen = s.request("GET", "/api/v1/auth/me", token=login("citizen"))[1]
        ids = [
            ("admin", "admin", "VN-QN", "c11", "hp", None),
            ("officer.province", "command_officer", "VN-QN", "c11", "hp", None),
            ("officer.district", "command_officer", "QN-01", "c11", "c21", "matrix-pass-1"),
            ("officer.commune", "command_officer", "QN-01-01", "c11", "c12", None),
            ("tracer.halong", "tracer", "QN-01", "c11", "c21", None),
            ("tracer.other", "tracer", "QN-02", "c21", "c11", "matrix-pass-1"),
            ("operator.halong", "venue_operator", "QN-01", "c11", "c21", None),
            ("checkpoint.mongcai", "checkpoint_officer", "QN-04", "c41", "c11", None),
            ("clinician", "clinician", "QN-01", "c11", "c21", None),
            ("lab", "lab_technician", "VN-QN", "c11", "hp", None),
            ("citizen", "citizen", "QN-01-01", "c11", "c21", None),
            ("citizen.two", "citizen", "QN-02-01", "c21", "c11", "matrix-pass-1"),
        ]
        cls.who = []
        for name, role, unit, inside, outside, password in ids:
            w = Who(name, role, unit, inside, outside, token=login(name, password or PASSWORD))
            w.login, w.password = name, password or PASSWORD
            cls.who.append(w)
        cls.who.append(Who("gate.mongcai.1", "device", "QN-04", "c41", "c11", api_key=gate_key))
        cls.who.append(Who("gate.halong.1", "device", "QN-01", "c11", "c41", api_key=device_halong))
        cls.who.append(Who("anonymous", None, None, "c11", "c21"))
        for w in cls.who:
            if w.unit:
                w.unit_id = units[w.unit]
                w.top_level = m.units[w.unit_id] is None
        cls.by_name = {w.name: w for w in cls.who}
        cls.by_name["citizen"].person = me_citizen["person_id"]
        cls.by_name["citizen.two"].person = citizen2_person
        m.other_citizen = lambda w: cls.by_name["citizen.two" if w.name == "citizen" else "citizen"]

        for key, code, site_admin in (("c11", "QN-01-01", admin), ("c12", "QN-01-02", admin),
                                      ("c21", "QN-02-01", admin), ("c41", "QN-04-01", admin),
                                      ("hp", "HP-01-01", admin_hp)):
            m.make_site(key, code, site_admin)
        # Cases with a contact at home and one from elsewhere in the province.
        for key, other in (("c11", "c21"), ("c12", "c11"), ("c21", "c11"), ("c41", "c11"), ("hp", "hp")):
            site = m.sites[key]
            site["case"], site["near"], site["far"] = m.contacts_case(site, m.sites[other])
        m.trip = m.ok("POST", "/api/v1/trips", admin, body=trip_body())["id"]

        def policy_text():
            return m.ok("GET", "/api/v1/policy", admin)["text"]
        m.policy_text = policy_text

        def trust_shc_once():
            if not m._shc_trusted:
                m.ok("POST", "/api/v1/trust/shc", admin, body=b_trust_shc(m, admin, None, True).body)
                m._shc_trusted = True
        m.trust_shc_once = trust_shc_once
        cls.admin, cls.admin_hp = admin, admin_hp
        m.inside = True
        cls.setup_seconds = time.time() - started

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        code = cls.server.stop()
        if code != 0:
            raise AssertionError("server exited with %s:\n%s" % (code, "".join(cls.server.output[-30:])))

    # -- helpers --

    def send(self, op, who, req, source=None):
        path = op["path"]
        for k, v in req.path.items():
            path = path.replace("{%s}" % k, str(v))
        if req.query:
            path += "?" + "&".join("%s=%s" % (k, v) for k, v in req.query.items())
        token, api_key = req.token or who.token, who.api_key
        client = self.client
        if req.source:
            client = Client(self.server.port, source="127.0.0.%d" % next(self.m.sources))
        try:
            status, body, _ = client.request(op["method"].upper(), path, body=req.body, raw=req.raw,
                                             content_type=req.content_type, token=token, api_key=api_key)
        finally:
            if client is not self.client:
                client.close()
        return path, status, body

    def like_unknown(self, op, who, req):
        """The same request with the outside id replaced by one that does not exist."""
        where, key, value = req.probe
        u = Req(path=dict(req.path), query=dict(req.query), body=json.loads(json.dumps(req.body)),
                raw=req.raw, content_type=req.content_type)
        if where == "path":
            original, u.path[key] = u.path[key], value
        elif where == "query":
            original, u.query[key] = u.query[key], value
        elif where == "body":
            original, u.body[key] = u.body[key], value
        else:  # a batch's first item
            original, u.body["checkins"][0][key] = u.body["checkins"][0][key], value
        return u, original

    def leaks(self, who, op, body):
        """Names of people outside the caller's scope; records of other units in a scoped answer."""
        if op["operationId"] == "register":
            return []  # the answer echoes what the traveller sent about themself
        found = []
        scoped = op.get("x-scope") in ("org_unit", "self_or_org_unit") and op["operationId"] != "listCaseContacts"

        def walk(x):
            if isinstance(x, list):
                for y in x:
                    walk(y)
                return
            if not isinstance(x, dict):
                return
            unit = x.get("org_unit_id")
            if not isinstance(unit, int) or isinstance(unit, bool):
                unit = None  # not a record (the OpenAPI document describes the field)
            if isinstance(x.get("full_name"), str):
                if who.role == "citizen":
                    if who.person not in (x.get("id"), x.get("person_id")):
                        found.append("the name of person %s" % x.get("id", x.get("person_id")))
                elif unit is None or not self.m.covers(who.unit_id, unit):
                    found.append("the name of person %s of unit %s" % (x.get("id", x.get("person_id")), unit))
            if scoped and unit is not None and who.unit_id and not self.m.covers(who.unit_id, unit):
                found.append("a record of unit %s: %s" % (unit, json.dumps(x)[:160]))
            for y in x.values():
                walk(y)
        walk(body)
        return found

    # -- the matrix --

    def test_every_operation_has_an_entry(self):
        ops = self.operations()
        missing = sorted(o["operationId"] for o in ops if o["operationId"] not in OPS and not gate_only(o))
        self.assertEqual(missing, [], "operations without an entry in test_matrix.OPS (add one): %s" % missing)
        stale = sorted(set(OPS) - {o["operationId"] for o in ops})
        self.assertEqual(stale, [], "entries in test_matrix.OPS for operations that are gone")

    def operations(self):
        status, doc, _ = self.client.request("GET", "/api/v1/openapi.json")
        self.assertEqual(status, 200)
        ops = []
        for path, methods in sorted(doc["paths"].items()):
            for method, op in sorted(methods.items()):
                ops.append(dict(op, path=path, method=method))
        return ops

    def test_matrix(self):
        started = time.time()
        sent_before = self.client.sent
        failures, cells, counts = [], 0, collections.Counter()
        ops = self.operations()
        missing = [o["operationId"] for o in ops if o["operationId"] not in OPS and not gate_only(o)]
        if missing:
            failures.append("no entry in OPS for: %s" % ", ".join(missing))
        m = self.m
        for op in ops:
            entry = OPS.get(op["operationId"])
            if not entry:
                continue
            oid, scope = op["operationId"], op.get("x-scope")
            public = "x-roles" not in op
            roles = set(op.get("x-roles", []))
            two_sided = scope in ("org_unit", "self_or_org_unit")
            for who in self.who:
                for side in (("in", "out") if two_sided else ("in",)):
                    cells += 1
                    allowed = public or (who.role in roles and who.role not in entry.refused)
                    if scope == "top_level" and not who.top_level:
                        allowed = False
                    site = m.sites[who.inside if side == "in" else who.outside]
                    m.inside = side == "in"
                    build = entry.outside if side == "out" and entry.outside else entry.build
                    try:
                        made = build(m, who, site, allowed and who.role is not None)
                    except AssertionError as e:
                        failures.append("%s as %s (%s): fixture failed: %s" % (oid, who, side, e))
                        continue
                    variants = made if isinstance(made, list) else [made]
                    for req in variants:
                        try:
                            problem = self.cell(op, entry, who, side, req, public, roles, allowed)
                        except AssertionError as e:
                            problem = str(e)
                        counts[(side, "ok" if not problem else "failed")] += 1
                        if problem:
                            failures.append("%s %s as %s (%s%s): %s" % (
                                op["method"].upper(), op["path"], who, side,
                                ", " + req.note if req.note else "",
                                problem))
        seconds = time.time() - started
        requests = self.client.sent - sent_before
        print("\nauthorization matrix: %d operations x %d identities, %d cells (%d variants), %d requests "
              "in %.1f s (set-up %.1f s)" % (len(ops), len(self.who), cells, sum(counts.values()), requests,
                                             seconds, self.setup_seconds))
        self.assertEqual(failures, [], "\n".join(["%d failures:" % len(failures)] + failures))

    def test_gate_of_operations_without_an_entry(self):
        ops = [o for o in self.operations() if gate_only(o)]
        failures = []
        for op in ops:
            public = "x-roles" not in op
            roles = set(op.get("x-roles", []))
            path = re.sub(r"\{id\}", "999999999", op["path"])
            path = re.sub(r"\{[a-z_]+\}", "x", path)
            body = {} if op["method"] in ("post", "put", "patch") else None
            for who in self.who:
                status, answer, _ = self.client.request(op["method"].upper(), path, body=body,
                                                        token=who.token, api_key=who.api_key)
                want = None
                if status >= 500:
                    want = "no 5xx"
                elif who.role is None and not public:
                    want = None if status == 401 else "401"
                elif not public and who.role not in roles:
                    want = None if status == 403 else "403 (role not in x-roles)"
                elif op.get("x-scope") == "top_level" and not who.top_level:
                    want = None if status == 403 else "403 (not a top-level unit)"
                if want:
                    failures.append("%s %s as %s: %d, expected %s: %s" % (
                        op["method"].upper(), path, who, status, want, json.dumps(answer)[:200]))
        print("\ngate-only operations (no entry yet): %d x %d identities" % (len(ops), len(self.who)))
        self.assertEqual(failures, [], "\n".join(["%d failures:" % len(failures)] + failures))

    def cell(self, op, entry, who, side, req, public, roles, allowed):
        """The problem with one cell's answer, or None."""
        oid = op["operationId"]
        path, status, body = self.send(op, who, req)
        if status >= 500:
            return "a %d: %s" % (status, body)
        if who.role is None and not public:
            return None if status == 401 else "anonymous got %d, expected 401: %s" % (status, body)
        if not public and who.role not in roles:
            return None if status == 403 else "role %s is not in x-roles but got %d: %s" % (who.role, status, body)
        if who.role in entry.refused:
            return None if status == 403 else "role %s should be refused (%s) but got %d" % (
                who.role, entry.refused[who.role], status)
        if op.get("x-scope") == "top_level" and not who.top_level:
            return None if status == 403 else "not a top-level unit but got %d" % status
        if 200 <= status < 300:
            leaks = self.leaks(who, op, body)
            if leaks:
                return "leaks " + "; ".join(leaks[:3])
        if side == "in":
            if 200 <= status < 300:
                if req.check:
                    return req.check(status, body)
                if oid == "listCaseContacts":
                    return self.contacts_problem(who, body)
                return None
            if status in entry.domain or status in req.domain:
                return None
            return "inside scope with the role, got %d: %s" % (status, body)
        # Outside.
        expect = req.expect or OUTSIDE_BY_ROLE.get((oid, who.role)) or \
            (CITIZEN_OTHERS if who.role == "citizen" and op.get("x-scope") == "self_or_org_unit" else entry.out)
        if isinstance(expect, tuple) and expect[0] == "2xx":
            if not 200 <= status < 300:
                return "expected a success by design (%s), got %d: %s" % (expect[1], status, body)
            return req.check(status, body) if req.check else None
        if expect == FILTERED:
            if not 200 <= status < 300:
                return "a list refused instead of filtered: %d %s" % (status, body)
            if req.absent:
                key, rid = req.absent
                if any(isinstance(i, dict) and i.get(key) == rid for i in body.get("items", [])):
                    return "lists record %s of another unit" % rid
            if req.check:
                problem = req.check(status, body)
                if problem:
                    return problem
            if req.probe:
                return self.unknown_problem(op, who, req, body, batch=True)
            return None
        if 200 <= status < 300:
            return "SUCCEEDED outside scope (%d): %s" % (status, json.dumps(body)[:200] if isinstance(body, (dict, list)) else "")
        if isinstance(expect, tuple) and expect[0] == "403":
            return None if status == 403 else "expected the documented 403, got %d: %s" % (status, body)
        if status != 404:
            return "expected 404 (like an unknown id), got %d: %s" % (status, body)
        if req.probe:
            return self.unknown_problem(op, who, req, body)
        return None

    def unknown_problem(self, op, who, req, body, batch=False):
        u, original = self.like_unknown(op, who, req)
        _, status, other = self.send(op, who, u)
        if batch:
            got = [(r["field"], r["reason"]) for r in body.get("rejected", [])]
            want = [(r["field"], r["reason"]) for r in other.get("rejected", [])] if isinstance(other, dict) else other
            return None if got == want else "rejected %s, but an unknown id is rejected %s" % (got, want)
        a, b = normalise(body, original), normalise(other, req.probe[2])
        if status != 404 or a != b:
            return "distinguishable from an unknown id: %s against %d %s" % (a, status, b)
        return None

    def contacts_problem(self, who, body):
        for item in body["items"] + body["co_travellers"]:
            inside = self.m.covers(who.unit_id, item["org_unit_id"])
            if item["in_scope"] != inside:
                return "contact %s has in_scope %s" % (item["person_id"], item["in_scope"])
            if (item["full_name"] is not None) != inside:
                return "contact %s outside the unit is named" % item["person_id"]
        return None

    # -- the findings of issue 11, one by one --

    def test_risk_areas_only_inside_ones_unit(self):
        """A commune officer declared a province-wide area and lifted another district's."""
        m, officer = self.m, self.by_name["officer.commune"]
        before = m.ok("GET", "/api/v1/policy", self.admin)["version"]
        for body in ({"id": "mx-wide-%d" % seq(), "level": "high", "org_unit_id": m.codes["VN-QN"], "from": ts(24)},
                     {"id": "mx-far-%d" % seq(), "level": "high", "org_unit_id": m.sites["c21"]["unit"],
                      "from": ts(24)},
                     {"id": "mx-far-%d" % seq(), "level": "high", "venue_id": m.sites["c21"]["venue"],
                      "from": ts(24)}):
            status, err, _ = m.call("POST", "/api/v1/risk-areas", officer, body=body)
            self.assertEqual(status, 403, err)
        area = m.area(m.sites["c21"])
        status, err, _ = m.call("POST", "/api/v1/risk-areas/%s/lift" % area, officer, body={})
        self.assertEqual(status, 404, err)
        status, unknown, _ = m.call("POST", "/api/v1/risk-areas/mx-never/lift", officer, body={})
        self.assertEqual(normalise(err, area), normalise(unknown, "mx-never"))
        policy = m.ok("GET", "/api/v1/policy", self.admin)
        self.assertEqual(policy["version"], before + 1)  # only the admin's own declaration
        block = next(b for b in policy["text"].split("[[risk_areas]]") if 'id = "%s"' % area in b)
        self.assertNotIn("\nto = ", block)  # still in force
        # Inside: the officer's own commune.
        status, done, _ = m.call("POST", "/api/v1/risk-areas", officer, body={
            "id": "mx-home-%d" % seq(), "level": "medium", "org_unit_id": m.sites["c11"]["unit"], "from": ts(24)})
        self.assertEqual(status, 201, done)

    def test_revoking_another_districts_credential_reads_like_an_unknown_one(self):
        m, officer = self.m, self.by_name["officer.commune"]
        cred = m.credential(m.sites["c21"])
        status, err, _ = m.call("POST", "/api/v1/health-codes/revocations", officer,
                                body={"credential_id": cred["credential_id"], "reason": "x"})
        self.assertEqual(status, 404, err)
        _, unknown, _ = m.call("POST", "/api/v1/health-codes/revocations", officer,
                               body={"credential_id": "00000000deadbeef", "reason": "x"})
        self.assertEqual(normalise(err, cred["credential_id"]), normalise(unknown, "00000000deadbeef"))
        verdict = m.ok("POST", "/api/v1/verify", self.admin, body={"qr": cred["qr_text"]})
        self.assertTrue(verdict["valid"], verdict)
        mine = m.credential(m.sites["c11"])
        self.assertEqual(m.call("POST", "/api/v1/health-codes/revocations", officer,
                                body={"credential_id": mine["credential_id"], "reason": "lost"})[0], 201)

    def test_gate_reading_names_only_people_of_its_unit(self):
        """A gate in Móng Cái added a fever to a person in Hạ Long and read back their colour."""
        m, gate = self.m, self.by_name["gate.mongcai.1"]
        person = m.person(m.sites["c11"])
        venue = m.sites["c41"]["venue"]
        for temperature in (39.2, 36.5):
            status, err, _ = m.call("POST", "/api/v1/devices/readings", gate, body={
                "kind": "temperature", "person_id": person, "venue_id": venue, "temperature_c": temperature})
            self.assertEqual(status, 404, err)
            self.assertNotIn("colour", json.dumps(err))
            _, unknown, _ = m.call("POST", "/api/v1/devices/readings", gate, body={
                "kind": "temperature", "person_id": UNKNOWN_ID, "venue_id": venue, "temperature_c": temperature})
            self.assertEqual(normalise(err, person), normalise(unknown, UNKNOWN_ID))
        code = m.ok("GET", "/api/v1/people/%d/health-code" % person, self.admin)
        self.assertEqual((code["colour"], code["reasons"]), ("green", []))
        status, _, _ = m.call("GET", "/api/v1/people/%d/health-code" % person, gate)
        self.assertEqual(status, 403)
        # By a verified code the traveller shows, a gate identifies anyone.
        cred = m.credential(m.sites["c11"], person)
        hot = m.ok("POST", "/api/v1/devices/readings", gate, body={
            "kind": "temperature", "qr": cred["qr_text"], "venue_id": venue, "temperature_c": 39.2})
        self.assertEqual((hot["fever"], hot["person_id"], hot["colour"]), (True, person, "yellow"))

    def test_checkins_naming_someone_outside_read_like_an_unknown_id(self):
        """Staff and their batches learned which person ids exist (404 against 201)."""
        m = self.m
        outsider = m.person(m.sites["c21"])
        venue = m.sites["c11"]["venue"]
        for name in ("operator.halong", "officer.commune"):
            who = self.by_name[name]
            status, err, _ = m.call("POST", "/api/v1/checkins", who, body={"venue_id": venue, "person_id": outsider})
            _, unknown, _ = m.call("POST", "/api/v1/checkins", who, body={"venue_id": venue, "person_id": UNKNOWN_ID})
            self.assertEqual((status, normalise(err, outsider)), (404, normalise(unknown, UNKNOWN_ID)), name)
            batch = m.ok("POST", "/api/v1/checkins/batch", who, body={"checkins": [
                {"person_id": outsider, "venue_id": venue, "time_in": ts(3)},
                {"person_id": UNKNOWN_ID, "venue_id": venue, "time_in": ts(3)}]})
            self.assertEqual(batch["imported"], 0, name)
            self.assertEqual([(r["field"], r["reason"]) for r in batch["rejected"]],
                             [("person_id", "no such person")] * 2, name)
        self.assertEqual(m.ok("GET", "/api/v1/people/%d/checkins" % outsider, self.admin)["items"], [])
        # A gate (trusted hardware) records whoever passes it, at its own venues (docs/access.md).
        gate = self.by_name["gate.halong.1"]
        status, ci, _ = m.call("POST", "/api/v1/checkins", gate, body={"venue_id": venue, "person_id": outsider})
        self.assertEqual((status, ci.get("person_id")), (201, outsider), ci)
        # A traveller from another unit checks in by scanning the poster themself.
        status, ci, _ = m.call("POST", "/api/v1/checkins", self.by_name["citizen.two"],
                               body={"qr": m.sites["c11"]["poster2"]})
        self.assertEqual(status, 201, ci)

    def test_case_contacts_name_only_people_inside_the_readers_unit(self):
        m = self.m
        site = m.sites["c11"]
        for name, named in (("tracer.halong", {site["near"]}), ("officer.commune", {site["near"]}),
                            ("officer.province", {site["near"], site["far"]})):
            body = m.ok("GET", "/api/v1/cases/%d/contacts" % site["case"], self.by_name[name])
            got = {i["person_id"]: (i["in_scope"], i["full_name"] is not None) for i in body["items"]}
            self.assertEqual(set(got), {site["near"], site["far"]}, name)
            self.assertEqual({p for p, (inside, has_name) in got.items() if inside and has_name}, named, name)
            self.assertTrue(all(inside == has_name for inside, has_name in got.values()), name)
        # The other district's tracer does not see the case at all.
        self.assertEqual(m.call("GET", "/api/v1/cases/%d/contacts" % site["case"], self.by_name["tracer.other"])[0], 404)


if __name__ == "__main__":
    unittest.main()
