"""The control endpoint and the request loop around moto's application:

  GET  /_asgdeploy/switches          → the switches now (JSON)
  POST /_asgdeploy/switches  {json}  → change some (unknown names or wrong types: 400)
  POST /_asgdeploy/reset             → switches back to the environment's values

POST /moto-api/reset (moto's own reset) also resets the switches. Before each
request the watched groups get their pending work done (hook timeouts, launch
retries, refresh progress), so time passes as the client sees it.
"""
import json

from moto.moto_server.werkzeug_app import DomainDispatcherApplication

import launches
import refresh
import switches

PREFIX = "/_asgdeploy/"


def _json(start_response, status, body):
    data = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def _control(environ, start_response):
    path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
    if path == PREFIX + "switches" and method == "GET":
        return _json(start_response, "200 OK", switches.SWITCHES)
    if path == PREFIX + "switches" and method == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        try:
            changes = json.loads(environ["wsgi.input"].read(length) or b"{}")
        except ValueError as error:
            return _json(start_response, "400 Bad Request", {"error": f"not JSON: {error}"})
        problems = switches.update(changes) if isinstance(changes, dict) else ["body must be a JSON object"]
        if problems:
            return _json(start_response, "400 Bad Request", {"error": "; ".join(problems)})
        return _json(start_response, "200 OK", switches.SWITCHES)
    if path == PREFIX + "reset" and method == "POST":
        switches.reset()
        return _json(start_response, "200 OK", switches.SWITCHES)
    return _json(start_response, "404 Not Found", {"error": f"no {method} {path}"})


def tick():
    for key, group in list(switches.WATCHED.items()):
        busy = launches.tick(group)
        busy = refresh.tick(group) or busy
        if not busy:
            switches.WATCHED.pop(key, None)


_call = DomainDispatcherApplication.__call__


def __call__(self, environ, start_response):
    with switches.LOCK:
        path = environ.get("PATH_INFO", "")
        if path.startswith(PREFIX):
            return _control(environ, start_response)
        if path == "/moto-api/reset":
            switches.reset()
        else:
            tick()
        return _call(self, environ, start_response)


DomainDispatcherApplication.__call__ = __call__
