"""Writes AWS refuses: the `failingWrites` switch. Each entry

    {"action": "ModifyListener", "resource": "<ARN or name>", "times": 3,
     "code": "AccessDenied", "status": 403, "message": "..."}

refuses the Query-protocol requests (form body, `Action=`: Auto Scaling,
Elastic Load Balancing, EC2) whose action is `action` and, when `resource` is
given, one of whose parameters is exactly `resource` (e.g. the ListenerArn).
The request is answered with the service's error document (`ErrorResponse`,
or EC2's `Response/Errors`) and never reaches moto: nothing is applied, as
when IAM denies a call. `times` refusals, then the entry is spent (its
`times` reads 0 in GET /_asgdeploy/switches); without `times`, every time.
Defaults: AccessDenied, 403, and AWS's wording for an explicit deny:
"User: <principal> is not authorized to perform: <service>:<Action> on resource:
<resource> with an explicit deny in an identity-based policy". The SDKs do not
retry an AccessDenied (it is neither throttling nor a 5xx).
"""
import io
import uuid
from urllib.parse import parse_qsl

from moto.moto_server.werkzeug_app import DomainDispatcherApplication

import switches

PRINCIPAL = "arn:aws:sts::123456789012:assumed-role/deploy/asg-deploy"
NAMESPACES = {
    "elasticloadbalancing": "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/",
    "autoscaling": "http://autoscaling.amazonaws.com/doc/2011-01-01/",
}
KEYS = {"action": str, "resource": str, "times": int, "code": str, "status": int, "message": str}


def problems(entries):
    """What is wrong with a failingWrites value (the switch's own check)."""
    found = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("action"), str):
            found.append(f"failingWrites[{index}]: must be an object with an action (a string)")
            continue
        for key, value in entry.items():
            kind = KEYS.get(key)
            if kind is None:
                found.append(f"failingWrites[{index}]: unknown key {key!r} (known: {', '.join(KEYS)})")
            elif not isinstance(value, kind) or isinstance(value, bool):
                found.append(f"failingWrites[{index}].{key}: wrong type {type(value).__name__}")
    return found


def _service(environ):
    auth = environ.get("HTTP_AUTHORIZATION", "")
    marker = "Credential="
    if marker not in auth:
        return "?"
    scope = auth.split(marker, 1)[1].split(",", 1)[0].split("/")
    return scope[3] if len(scope) > 3 else "?"


def _error_document(service, code, message):
    request_id = str(uuid.uuid4())
    escaped = message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if service == "ec2":
        return (
            f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{code}</Code>"
            f"<Message>{escaped}</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>"
        )
    namespace = NAMESPACES.get(service)
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    return (
        f"<ErrorResponse{xmlns}><Error><Type>Sender</Type><Code>{code}</Code><Message>{escaped}</Message>"
        f"</Error><RequestId>{request_id}</RequestId></ErrorResponse>"
    )


def _refusal(environ):
    """The matching entry for this request (its `times` spent by one), or None."""
    entries = switches.SWITCHES.get("failingWrites") or []
    if not entries or "x-www-form-urlencoded" not in environ.get("CONTENT_TYPE", ""):
        return None, None
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)  # moto reads it again
    params = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    action = dict(params).get("Action")
    values = {value for _, value in params}
    for entry in entries:
        if entry["action"] != action or entry.get("times", 1) <= 0:
            continue
        if "resource" in entry and entry["resource"] not in values:
            continue
        if "times" in entry:
            entry["times"] -= 1
        return entry, action
    return None, None


_call = DomainDispatcherApplication.__call__


def __call__(self, environ, start_response):
    with switches.LOCK:
        if environ.get("PATH_INFO", "").startswith("/_asgdeploy/") or environ.get("PATH_INFO") == "/moto-api/reset":
            return _call(self, environ, start_response)
        entry, action = _refusal(environ)
        if entry is None:
            return _call(self, environ, start_response)
    service = _service(environ)
    resource = entry.get("resource", "*")
    code = entry.get("code", "AccessDenied")
    message = entry.get(
        "message",
        f"User: {PRINCIPAL} is not authorized to perform: {service}:{action} on resource: {resource}"
        " with an explicit deny in an identity-based policy",
    )
    status = entry.get("status", 403)
    data = _error_document(service, code, message).encode()
    reason = {400: "Bad Request", 403: "Forbidden", 500: "Internal Server Error", 503: "Service Unavailable"}
    start_response(
        f"{status} {reason.get(status, 'Error')}",
        [("Content-Type", "text/xml"), ("Content-Length", str(len(data))), ("x-amzn-RequestId", str(uuid.uuid4()))],
    )
    return [data]


DomainDispatcherApplication.__call__ = __call__

switches.VALIDATORS["failingWrites"] = problems
