"""Switches of the asg-deploy moto world: read from the environment at start,
changed per run through the control endpoint (control.py), back to the
environment's values on every reset. test/moto/README.md documents each one."""
import json
import os
import threading
import time

# Every request is served under this lock (control.py): moto is not thread-safe and the
# additions keep state of their own; a request is short, so serialising costs nothing here.
LOCK = threading.RLock()


def _float(name, default, alias=None):
    raw = os.environ.get(name) or (os.environ.get(alias) if alias else None)
    return float(raw) if raw not in (None, "") else default


def _list(name):
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def from_environment():
    return {
        # Instance Refresh: seconds from StartInstanceRefresh to its end (MOTO_IR_SECONDS kept as an alias).
        "refreshSeconds": _float("ASGDEPLOY_MOTO_REFRESH_SECONDS", 3.0, alias="MOTO_IR_SECONDS"),
        # Target health: seconds a newly registered target stays `initial` before `healthy`.
        "healthSeconds": _float("ASGDEPLOY_MOTO_HEALTH_SECONDS", 0.0),
        # Seconds a deregistered target stays `draining`; None: the target group's
        # deregistration_delay.timeout_seconds attribute (300 unless modified), as AWS does.
        "drainSeconds": _float("ASGDEPLOY_MOTO_DRAIN_SECONDS", None),
        # Target groups (names or ARNs) whose targets stay `unhealthy`.
        "unhealthyTargetGroups": _list("ASGDEPLOY_MOTO_UNHEALTHY_TARGET_GROUPS"),
        # Image ids whose launches fail as for an AMI that does not exist.
        "failingImages": _list("ASGDEPLOY_MOTO_FAILING_IMAGES"),
        # Seconds before a group short of its desired capacity tries a failed launch again.
        "launchRetrySeconds": _float("ASGDEPLOY_MOTO_LAUNCH_RETRY_SECONDS", 10.0),
        # Writes refused as AWS refuses them (faults.py): [{action, resource?, times?, code?, status?, message?}].
        "failingWrites": json.loads(os.environ.get("ASGDEPLOY_MOTO_FAILING_WRITES") or "[]"),
    }


SWITCHES = from_environment()
TYPES = {
    "refreshSeconds": (int, float),
    "healthSeconds": (int, float),
    "drainSeconds": (int, float, type(None)),
    "unhealthyTargetGroups": list,
    "failingImages": list,
    "launchRetrySeconds": (int, float),
    "failingWrites": list,
}
# Checks of a switch's value beyond its type (name → function returning a list of problems).
VALIDATORS = {}

# Groups with work pending (launch retries, lifecycle hook timeouts, refreshes): tick() visits them.
WATCHED = {}


def reset():
    SWITCHES.clear()
    SWITCHES.update(from_environment())
    WATCHED.clear()


def update(changes):
    """Apply a JSON object of switches; returns a list of problems (unknown names, wrong types)."""
    problems = []
    for name, value in changes.items():
        if name not in TYPES:
            problems.append(f"unknown switch {name!r} (known: {', '.join(sorted(TYPES))})")
        elif not isinstance(value, TYPES[name]) or isinstance(value, bool):
            problems.append(f"switch {name!r}: wrong type {type(value).__name__}")
        elif name in VALIDATORS:
            problems.extend(VALIDATORS[name](value))
    if not problems:
        SWITCHES.update(changes)
    return problems


def watch(group):
    WATCHED[id(group)] = group


def now():
    return time.time()
