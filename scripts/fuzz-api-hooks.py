"""Schemathesis hooks for scripts/fuzz-api (loaded through SCHEMATHESIS_HOOKS; not run by hand).

What they do, each for a reason the fuzzer cannot know from the OpenAPI document:
- auth: every case carries the admin's bearer token (LINLI_FUZZ_TOKEN); GET /api/v1/household,
  which answers only a household-code session, gets that session's token instead.
- DELETE /api/v1/auth/token revokes the token it is sent with, so each such call gets a token of
  its own, logged in for a spare demo account from another loopback address (127.0.0.2 ...): the
  fuzzing of POST /api/v1/auth/token soon trips the per-IP and per-phone failure limits of
  127.0.0.1 and the admin's phone. The admin's token is never revoked, so nothing in the run
  ends it legitimately, and fuzz-api fails when it stops working.
- POST /api/v1/places/{id}/webhooks: any URL with an authority ("//") is rewritten to a closed
  loopback port before it is sent, because the server's job runner delivers notifications to the
  targets it stores, and a generated host must never receive traffic from this machine.
- ids: three of four positive generated household, resident and request ids (and the place id
  of the request policy, which only a district has) become ones that exist (chosen by the generated value, so runs stay reproducible); a third of the register
  uploads become a small valid CSV; half the request descriptions lose their control characters;
  the household-code session follows code rotations.
- every response is counted (with the token it was sent with: admin, household, other), and
  every failed check is written down with a curl line that reproduces it, to
  LINLI_FUZZ_RECORD_DIR (calls.jsonl, failures.jsonl).
"""

from __future__ import annotations

import collections
import http.client
import json
import os
import shlex
import threading
import time
import unicodedata
from urllib.parse import urlsplit

import schemathesis

BASE = os.environ["LINLI_FUZZ_BASE"]
TOKEN = os.environ["LINLI_FUZZ_TOKEN"]
SPARE_PHONE = os.environ.get("LINLI_FUZZ_SPARE_PHONE", "13800000002")
SPARE_PASSWORD = os.environ.get("LINLI_FUZZ_SPARE_PASSWORD", "linli-demo")
RECORD_DIR = os.environ["LINLI_FUZZ_RECORD_DIR"]
SAFE_WEBHOOK_URL = "http://127.0.0.1:1/linli-fuzz-webhook"
BODY_LIMIT = 4000

_lock = threading.Lock()
_source_counter = 0
_bodies = 0


def _ids(text: str | None) -> list[int]:
    return [int(part) for part in (text or "").replace("\n", ",").split(",") if part.strip().isdigit()]


def _read(path: str | None) -> str:
    try:
        with open(path or "", encoding="utf-8") as source:
            return source.read()
    except OSError:
        return ""


# Ids that exist, so that some generated ids hit real rows (see _pick).
_rows = json.loads(_read(os.environ.get("LINLI_FUZZ_ROWS_FILE")) or "{}")
HOUSEHOLD_IDS: list[int] = _rows.get("households") or []
RESIDENT_IDS: dict[str, list[int]] = _rows.get("residents") or {}
REQUEST_IDS = _ids(os.environ.get("LINLI_FUZZ_REQUEST_IDS"))
# The compound of demo building "1", where the register uploads that become valid CSV go.
COMPOUND = int(os.environ.get("LINLI_FUZZ_COMPOUND") or 0)
# The demo district (the district staff's place): the only place with a request policy.
DISTRICT = int(os.environ.get("LINLI_FUZZ_DISTRICT") or 0)
# The household-code session for GET /api/v1/household: the fuzzer rotates codes (which ends the
# session), so the hooks follow the new code from the rotation's answer and open a new session.
OWN_HOUSEHOLD = int(os.environ.get("LINLI_FUZZ_OWN_HOUSEHOLD") or 0)
_own_code = os.environ.get("LINLI_FUZZ_OWN_CODE") or None
_household_token = os.environ.get("LINLI_FUZZ_HOUSEHOLD_TOKEN") or None
_household_tokens = {_household_token} if _household_token else set()
_household_stale = False


def _op(case) -> str:
    return f"{case.method.upper()} {case.operation.path}"


def _append(name: str, record: dict) -> None:
    line = json.dumps(record, ensure_ascii=False, default=str) + "\n"
    with _lock:
        with open(os.path.join(RECORD_DIR, name), "a", encoding="utf-8") as out:
            out.write(line)


def _post_from_elsewhere(path: str, payload: dict) -> tuple[int, bytes]:
    """POSTs from 127.0.0.2, 127.0.0.3, ...: the fuzzer's failed logins and household codes soon
    trip the per-IP failure limits of 127.0.0.1, which would refuse the hooks' own logins too."""
    global _source_counter
    with _lock:
        _source_counter += 1
        source = f"127.0.{(_source_counter // 250) % 250}.{2 + _source_counter % 250}"
    parts = urlsplit(BASE)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30, source_address=(source, 0))
    try:
        conn.request("POST", path, body=json.dumps(payload), headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# -- auth ---------------------------------------------------------------------------------------


@schemathesis.auth(refresh_interval=None)
class LinliAuth:
    def get(self, case, context):
        if _household_token and _op(case) == "GET /api/v1/household":
            return _household_token
        return TOKEN

    def set(self, case, data, context):
        headers = dict(case.headers or {})
        headers["Authorization"] = f"Bearer {data}"
        case.headers = headers


def _bearer(authorization: str | None) -> str | None:
    """The token of an Authorization header, read as the server reads it: the scheme in any case,
    the token trimmed."""
    if not authorization or authorization[:7].lower() != "bearer ":
        return None
    return authorization[7:].strip() or None


def _spare_token() -> str | None:
    """A fresh token of the spare account, for one DELETE /api/v1/auth/token."""
    for _ in range(3):
        try:
            status, data = _post_from_elsewhere("/api/v1/auth/token", {"phone": SPARE_PHONE, "password": SPARE_PASSWORD})
            if status == 201:
                return json.loads(data)["token"]
            _append("notes.jsonl", {"note": "spare login failed", "status": status, "body": data[:300].decode("utf-8", "replace")})
            if status == 429:
                time.sleep(0.2)
        except (OSError, ValueError, KeyError) as error:
            _append("notes.jsonl", {"note": "spare login failed", "error": repr(error)})
    return None


def _current_household_token() -> str | None:
    """The household session's token, reopened with the latest code after a rotation ended it."""
    global _household_token, _household_stale
    with _lock:
        stale, code = _household_stale, _own_code
    if not stale or not code or not OWN_HOUSEHOLD:
        return _household_token
    try:
        status, data = _post_from_elsewhere("/api/v1/household-sessions", {"household_id": OWN_HOUSEHOLD, "code": code})
        if status == 201:
            token = json.loads(data)["token"]
            with _lock:
                _household_token, _household_stale = token, False
                _household_tokens.add(token)
        else:
            _append("notes.jsonl", {"note": "household session not reopened", "status": status, "body": data[:300].decode("utf-8", "replace")})
    except (OSError, ValueError, KeyError) as error:
        _append("notes.jsonl", {"note": "household session not reopened", "error": repr(error)})
    return _household_token


def _pick(value, pool: list[int]):
    """Three of four positive generated ids become an id that exists (chosen by the value, so the
    run stays reproducible); the rest, and anything not a positive integer, stay as generated."""
    if pool and isinstance(value, int) and not isinstance(value, bool) and value > 0 and value % 4:
        return pool[value % len(pool)]
    return value


# -- keeping the fuzzer's traffic on this machine -------------------------------------------------


def _safe_webhook_body(body):
    """No generated host ever gets a URL with an authority; and half of the generated URLs without
    one (which are refused as invalid) become the closed loopback one, so that targets do get
    added and the 201 answer is checked too."""
    if isinstance(body, dict) and isinstance(body.get("url"), str):
        url = body["url"]
        if "//" in url or len(url) % 2 == 0:
            body = dict(body)
            body["url"] = SAFE_WEBHOOK_URL
    return body


def _register_body(body):
    """A third of the generated register bodies become a small valid CSV (a row that exists and a
    row made of the generated text), so imports get past the header check and the 200 and 422
    answers with a report are checked too. Such an import only adds and reports "not in file"."""
    if isinstance(body, str):
        raw = body.encode("utf-8", "surrogatepass")
    elif isinstance(body, (bytes, bytearray)):
        raw = bytes(body)
    else:
        return body
    if len(raw) % 3:
        return body
    text = raw.decode("utf-8", "replace")
    cell = "".join(ch for ch in text if ch not in ',"\r\n')[:20] or "0"
    return f"楼号,室号,姓名\n1,101,赵美娣\n1,{cell},{cell}\n".encode("utf-8")


@schemathesis.hook
def before_call(context, case, kwargs):
    op = _op(case)
    headers = dict(case.headers or {})
    authorization = headers.get("Authorization")
    if op == "POST /api/v1/places/{id}/webhooks":
        case.body = _safe_webhook_body(case.body)
    elif op == "DELETE /api/v1/auth/token":
        # However the header is spelled, the admin's token is never revoked: the run's later calls
        # need it, and fuzz-api fails when it stops working. Without a spare token the call goes
        # with a token that is no one's.
        if _bearer(authorization) == TOKEN:
            spare = _spare_token()
            headers["Authorization"] = f"Bearer {spare or 'linli-fuzz-no-spare-token'}"
            case.headers = headers
    elif op == "GET /api/v1/household":
        if authorization and authorization[len("Bearer "):] in _household_tokens:
            token = _current_household_token()
            if token and authorization != f"Bearer {token}":
                headers["Authorization"] = f"Bearer {token}"
                case.headers = headers
    if _phase(case) == "coverage":
        return  # the coverage phase's boundary values go as they are
    if op == "POST /api/v1/places/{id}/register" and (case.media_type or "").startswith(("text/csv", "application/octet-stream")):
        body = _register_body(case.body)
        if body is not case.body:
            case.body = body
            if COMPOUND and isinstance(case.path_parameters, dict):
                # ... into the compound of building "1" (a register goes to a compound or above).
                case.path_parameters = {**case.path_parameters, "id": COMPOUND}
    if op == "POST /api/v1/requests" and isinstance(case.body, dict):
        body = dict(case.body)
        description = body.get("description")
        if isinstance(description, str) and len(description) % 2 == 0:
            # Half the descriptions lose the control characters the server refuses (the document
            # does not say so), so more requests get filed and their lifecycle gets fuzzed.
            cleaned = "".join(ch for ch in description if ch in "\n\t" or unicodedata.category(ch) != "Cc")
            body["description"] = cleaned if cleaned.strip() else "fuzz-api " + str(len(description))
        if "household_id" in body:
            body["household_id"] = _pick(body["household_id"], HOUSEHOLD_IDS)
            if "resident_id" in body:
                body["resident_id"] = _pick(body["resident_id"], RESIDENT_IDS.get(str(body["household_id"]), []))
        elif authorization == f"Bearer {TOKEN}" and len(str(body.get("description", ""))) % 2 == 0:
            # Without household_id, every other request goes as the household files it itself.
            token = _current_household_token()
            if token:
                headers["Authorization"] = f"Bearer {token}"
                case.headers = headers
        case.body = body
    elif op in ("GET /api/v1/places/{id}/request-policy", "PUT /api/v1/places/{id}/request-policy") and DISTRICT and isinstance(case.path_parameters, dict):
        # Only a district has a policy: most other places answer 422 before the body is read.
        case.path_parameters = {**case.path_parameters, "id": _pick(case.path_parameters.get("id"), [DISTRICT])}
    elif op in ("GET /api/v1/requests/{id}", "POST /api/v1/requests/{id}/transitions") and isinstance(case.path_parameters, dict):
        with _lock:
            pool = list(REQUEST_IDS)
        parameters = dict(case.path_parameters)
        parameters["id"] = _pick(parameters.get("id"), pool)
        case.path_parameters = parameters


def _learn(case, response) -> None:
    """Remembers the requests the run filed and the own household's rotated code."""
    global _own_code, _household_stale
    op, status = _op(case), response.status_code
    if op == "GET /api/v1/household" and status == 401:
        authorization = (response.request.headers or {}).get("Authorization", "")
        if authorization[len("Bearer "):] in _household_tokens:
            with _lock:
                _household_stale = True
        return
    if status not in (200, 201) or op not in ("POST /api/v1/requests", "POST /api/v1/households/{id}/code", "POST /api/v1/places/{id}/household-codes"):
        return
    try:
        data = json.loads(response.content)
    except ValueError:
        return
    if not isinstance(data, dict):
        return
    with _lock:
        if op == "POST /api/v1/requests":
            if isinstance(data.get("id"), int) and data["id"] not in REQUEST_IDS:
                REQUEST_IDS.append(data["id"])
            return
        codes = [data] if op.endswith("/code") else (data.get("codes") or [])
        for entry in codes:
            if isinstance(entry, dict) and entry.get("household_id") == OWN_HOUSEHOLD and isinstance(entry.get("code"), str):
                _own_code, _household_stale = entry["code"], True


# -- records ----------------------------------------------------------------------------------------


def _phase(case) -> str | None:
    meta = getattr(case, "meta", None)
    try:
        return meta.phase.name.value if meta is not None else None
    except AttributeError:
        return None


def _mode(case) -> str | None:
    meta = getattr(case, "meta", None)
    try:
        return meta.generation.mode.value if meta is not None else None
    except AttributeError:
        return None


_sampled: collections.Counter = collections.Counter()
SAMPLES_PER_STATUS = 3


@schemathesis.hook
def after_call(context, case, response):
    op = _op(case)
    _learn(case, response)
    token = _bearer((response.request.headers or {}).get("Authorization"))
    sent_with = "admin" if token == TOKEN else "household" if token in _household_tokens else "other" if token else None
    record = {"op": op, "status": response.status_code, "phase": _phase(case), "mode": _mode(case), "token": sent_with}
    if response.status_code >= 400 and len(response.content or b"") < 2000:
        try:
            error = json.loads(response.content).get("error") or {}
            record["error"] = f"{error.get('code')}" + (f" ({error['field']})" if error.get("field") else "")
        except (ValueError, AttributeError):
            pass
    _append("calls.jsonl", record)
    # A few answers of each operation and status, to see what the fuzzer reached (samples.jsonl).
    with _lock:
        _sampled[(op, response.status_code)] += 1
        take = _sampled[(op, response.status_code)] <= SAMPLES_PER_STATUS
    if take:
        try:
            curl, _ = _curl(response.request)
        except Exception as error:
            curl = f"(no curl: {error!r})"
        _append("samples.jsonl", {"op": op, "status": response.status_code, "mode": _mode(case), "response": (response.content or b"")[:600].decode("utf-8", "replace"), "curl": curl[:1500]})


_SKIP_HEADERS = {"user-agent", "accept-encoding", "accept", "connection", "content-length", "x-schemathesis-testcaseid"}


def _curl(request) -> tuple[str, bytes | None]:
    """A curl line for the request that was sent, with $TOKEN / $HOUSEHOLD_TOKEN for the tokens."""
    args = ["curl", "-sS", "-i", "-X", request.method]
    for name, value in request.headers.items():
        if name.lower() in _SKIP_HEADERS:
            continue
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if name.lower() == "authorization":
            if value == f"Bearer {TOKEN}":
                value = "Bearer $TOKEN"
            elif value[len("Bearer "):] in _household_tokens:
                value = "Bearer $HOUSEHOLD_TOKEN"
        args += ["-H", f"{name}: {value}"]
    body = request.body
    if isinstance(body, str):
        body = body.encode("utf-8")
    binary = None
    if body:
        try:
            text = body.decode("utf-8")
            if any(ord(c) < 32 and c not in "\t\r\n" for c in text):
                raise UnicodeDecodeError("utf-8", body, 0, 1, "control characters")
            args += ["--data-binary", _Literal(text)]
        except UnicodeDecodeError:
            binary = body
            args += ["--data-binary", "@BODY_FILE"]
    url = request.url.replace(BASE, "$BASE", 1)
    args.append(url)
    return " ".join(_quote(a) for a in args), binary


class _Literal(str):
    """A curl argument quoted as it is (a request body), with nothing left for the shell."""


def _quote(arg: str) -> str:
    """shlex.quote, but leaves $BASE / $TOKEN / $HOUSEHOLD_TOKEN for the shell to expand."""
    if isinstance(arg, _Literal):
        return shlex.quote(arg)
    for var in ("$BASE", "Bearer $TOKEN", "Bearer $HOUSEHOLD_TOKEN"):
        if var in arg:
            head, _, tail = arg.partition(var)
            return (shlex.quote(head) if head else "") + '"' + var + '"' + (shlex.quote(tail) if tail else "")
    return shlex.quote(arg)


@schemathesis.hook
def filter_failure(context, failure, case, response):
    global _bodies
    try:
        curl, binary = _curl(response.request)
        body_file = None
        if binary is not None:
            with _lock:
                _bodies += 1
                index = _bodies
            body_file = os.path.join(RECORD_DIR, f"body-{index}.bin")
            with open(body_file, "wb") as out:
                out.write(binary)
            curl = curl.replace("@BODY_FILE", "@" + body_file)
        content = response.content or b""
        _append(
            "failures.jsonl",
            {
                "op": _op(case),
                "failure": type(failure).__name__,
                "code": getattr(failure, "code", None),
                "title": failure.title,
                "message": (failure.message or "")[:3000],
                "status": response.status_code,
                "content_type": ", ".join(response.headers.get("content-type", [])),
                "response": content[:BODY_LIMIT].decode("utf-8", "replace"),
                "response_truncated": len(content) > BODY_LIMIT,
                "curl": curl,
                "phase": _phase(case),
                "mode": _mode(case),
            },
        )
    except Exception as error:  # a recording problem must not hide the failure itself
        _append("notes.jsonl", {"note": "could not record a failure", "error": repr(error)})
    return True
