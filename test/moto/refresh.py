"""EC2 Auto Scaling Instance Refresh (moto answers the four operations with a
500), as a time-based model:

- Pending for the first fifth of refreshSeconds, then InProgress with
  PercentageComplete rising by tens, then Successful: the DesiredConfiguration
  (a LaunchTemplate, or a MixedInstancesPolicy taken whole) becomes the group's
  and every instance is replaced (deregistered, so it drains; moto launches the
  replacements, which take healthSeconds to turn healthy);
- a group tagged `moto:instance-refresh` = `fail` fails at the end: with
  Preferences.AutoRollback it goes RollbackInProgress then RollbackSuccessful
  (group unchanged), otherwise Failed;
- Cancel → Cancelled; Rollback → RollbackInProgress, RollbackSuccessful after refreshSeconds;
- AWS's refusals: a second refresh while one is active (InstanceRefreshInProgress);
  AutoRollback without a DesiredConfiguration or with $Latest/$Default (ValidationError).
Refreshes live on the group object, so a reset forgets them with the group.
"""
import uuid

from moto.autoscaling.exceptions import AutoscalingClientError, ValidationError
from moto.autoscaling.responses import AutoScalingResponse
from moto.core.responses import ActionResult

import activities
import health
import switches

ACTIVE = ("Pending", "InProgress", "Cancelling", "RollbackInProgress", "Baking")


class InstanceRefreshInProgress(AutoscalingClientError):
    code = "InstanceRefreshInProgress"


def _refreshes(group):
    if not hasattr(group, "_asgdeploy_refreshes"):
        group._asgdeploy_refreshes = []
    return group._asgdeploy_refreshes


def _tag(group, key):
    return next((t.get("Value") for t in group.tags if t.get("Key") == key), None)


def _apply(group, desired):
    lt, mip = desired.get("LaunchTemplate"), desired.get("MixedInstancesPolicy")
    if lt or mip:
        group.autoscaling_backend.update_auto_scaling_group(
            name=group.name, availability_zones=[], desired_capacity=None, max_size=None, min_size=None,
            launch_config_name=None, launch_template=lt, vpc_zone_identifier=None, health_check_period=None,
            health_check_type=None, mixed_instances_policy=mip)


def _replace_instances(group):
    ids = [state.instance.id for state in group.instance_states]
    health.drain(group, ids)
    for iid in ids:
        group.autoscaling_backend.terminate_instance(iid, False)


def _succeed_or_fail(group, r):
    if _tag(group, "moto:instance-refresh") == "fail":
        if r.get("Preferences", {}).get("AutoRollback") in (True, "true"):
            r.update(Status="RollbackInProgress", _t=switches.now(),
                     StatusReason="Instance refresh failed: replacement instances failed health checks. Rolling back.")
        else:
            r.update(Status="Failed", EndTime=activities.utc(),
                     StatusReason="Instance refresh failed: replacement instances failed health checks.")
        return
    _apply(group, r.get("DesiredConfiguration") or {})
    _replace_instances(group)
    r.update(Status="Successful", StatusReason="", PercentageComplete=100, InstancesToUpdate=0,
             EndTime=activities.utc())


def advance(group, r):
    duration = switches.SWITCHES["refreshSeconds"]
    elapsed = switches.now() - r["_t"]
    if r["Status"] in ("Pending", "InProgress"):
        if elapsed < duration * 0.2:
            r.update(Status="Pending", PercentageComplete=0)
        elif elapsed < duration:
            done = int(100 * elapsed / duration) // 10 * 10
            count = len(group.instance_states)
            r.update(Status="InProgress", PercentageComplete=done, InstancesToUpdate=count - count * done // 100)
        else:
            _succeed_or_fail(group, r)
    elif r["Status"] == "Cancelling":
        r.update(Status="Cancelled", EndTime=activities.utc())
    elif r["Status"] == "RollbackInProgress" and elapsed >= duration:
        r.update(Status="RollbackSuccessful", PercentageComplete=100, InstancesToUpdate=0, EndTime=activities.utc())


def tick(group):
    for r in _refreshes(group):
        advance(group, r)
    return any(r["Status"] in ACTIVE for r in _refreshes(group))


def _group(self):
    name = self._get_param("AutoScalingGroupName")
    group = self.autoscaling_backend.autoscaling_groups.get(name)
    if group is None:
        raise ValidationError(f"AutoScalingGroup name not found - {name}")
    return group


def start_instance_refresh(self):
    group = _group(self)
    desired = self._get_param("DesiredConfiguration") or {}
    prefs = self._get_param("Preferences") or {}
    mip_spec = ((desired.get("MixedInstancesPolicy") or {}).get("LaunchTemplate") or {}).get(
        "LaunchTemplateSpecification")
    spec = desired.get("LaunchTemplate") or mip_spec or {}
    if prefs.get("AutoRollback") in (True, "true") and (not spec or str(spec.get("Version")) in ("$Latest", "$Default")):
        raise ValidationError("AutoRollback requires a DesiredConfiguration with a specific launch template "
                              "version (not $Latest or $Default).")
    for r in _refreshes(group):
        advance(group, r)
        if r["Status"] in ACTIVE:
            raise InstanceRefreshInProgress("An Instance Refresh is already in progress and blocks the execution "
                                            f"of this Instance Refresh. ({r['InstanceRefreshId']})")
    r = {"InstanceRefreshId": str(uuid.uuid4()), "AutoScalingGroupName": group.name, "Status": "Pending",
         "StatusReason": "", "StartTime": activities.utc(), "PercentageComplete": 0,
         "InstancesToUpdate": len(group.instance_states), "Strategy": self._get_param("Strategy") or "Rolling",
         "Preferences": prefs, "_t": switches.now()}
    if desired:
        r["DesiredConfiguration"] = desired
    _refreshes(group).insert(0, r)
    switches.watch(group)
    return ActionResult({"InstanceRefreshId": r["InstanceRefreshId"]})


def describe_instance_refreshes(self):
    name = self._get_param("AutoScalingGroupName")
    ids = self._get_param("InstanceRefreshIds") or []
    group = self.autoscaling_backend.autoscaling_groups.get(name)
    found = []
    for r in _refreshes(group) if group else []:
        advance(group, r)
        if not ids or r["InstanceRefreshId"] in ids:
            found.append({k: v for k, v in r.items() if not k.startswith("_")})
    return ActionResult({"InstanceRefreshes": found})


def _active(group):
    for r in _refreshes(group):
        if r["Status"] in ACTIVE:
            return r
    raise AutoscalingClientError("ActiveInstanceRefreshNotFound",
                                 "No in progress or pending Instance Refresh found for this Auto Scaling group.")


def cancel_instance_refresh(self):
    r = _active(_group(self))
    r.update(Status="Cancelling")
    return ActionResult({"InstanceRefreshId": r["InstanceRefreshId"]})


def rollback_instance_refresh(self):
    r = _active(_group(self))
    r.update(Status="RollbackInProgress", StatusReason="Rollback requested.", _t=switches.now())
    return ActionResult({"InstanceRefreshId": r["InstanceRefreshId"]})


for _fn in (start_instance_refresh, describe_instance_refreshes, cancel_instance_refresh, rollback_instance_refresh):
    setattr(AutoScalingResponse, _fn.__name__, _fn)
