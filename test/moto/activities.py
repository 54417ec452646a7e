"""Scaling activities as EC2 Auto Scaling records them (moto answers
DescribeScalingActivities with an empty list): one per instance launched or
terminated, one per failed launch attempt, newest first."""
import datetime
import json
import uuid

from moto.autoscaling.responses import AutoScalingResponse
from moto.core.responses import ActionResult

import switches


def utc(seconds=None):
    moment = seconds if seconds is not None else switches.now()
    return datetime.datetime.fromtimestamp(moment, datetime.timezone.utc)


def iso(seconds=None):
    return utc(seconds).strftime("%Y-%m-%dT%H:%M:%SZ")


def launch_cause(before, after):
    return (
        f"At {iso()} an instance was started in response to a difference between desired and actual "
        f"capacity, increasing the capacity from {before} to {after}."
    )


def terminate_cause(before, after):
    return (
        f"At {iso()} an instance was taken out of service in response to a difference between desired "
        f"and actual capacity, shrinking the capacity from {before} to {after}."
    )


def record(group, description, cause, status="Successful", message=None, zone=None):
    """Adds an activity to the group (newest first) and returns it (a dict the caller may update)."""
    activity = {
        "ActivityId": str(uuid.uuid4()),
        "AutoScalingGroupName": group.name,
        "AutoScalingGroupARN": group.arn,
        "Description": description,
        "Cause": cause,
        "StartTime": utc(),
        "StatusCode": status,
        "Progress": 100 if status in ("Successful", "Failed", "Cancelled") else 30,
        "Details": json.dumps({"Subnet ID": (group.vpc_zone_identifier or "").split(",")[0],
                               "Availability Zone": getattr(zone, "zone", zone) or (group.availability_zones or [""])[0]}),
    }
    if status in ("Successful", "Failed", "Cancelled"):
        activity["EndTime"] = utc()
    if message:
        activity["StatusMessage"] = message
    if not hasattr(group, "_asgdeploy_activities"):
        group._asgdeploy_activities = []
    group._asgdeploy_activities.insert(0, activity)
    return activity


def finish(activity, status, message=None, description=None):
    activity.update(StatusCode=status, Progress=100, EndTime=utc())
    if message:
        activity["StatusMessage"] = message
    if description:
        activity["Description"] = description


def describe_scaling_activities(self):
    name = self._get_param("AutoScalingGroupName")
    ids = self._get_param("ActivityIds") or []
    max_records = int(self._get_param("MaxRecords") or 100)
    start = int(self._get_param("NextToken") or 0)
    groups = self.autoscaling_backend.autoscaling_groups
    chosen = [groups[name]] if name in groups else ([] if name else list(groups.values()))
    found = [a for g in chosen for a in getattr(g, "_asgdeploy_activities", [])]
    found.sort(key=lambda a: a["StartTime"], reverse=True)
    if ids:
        found = [a for a in found if a["ActivityId"] in ids]
    page = found[start:start + max_records]
    result = {"Activities": page}
    if start + max_records < len(found):
        result["NextToken"] = str(start + max_records)
    return ActionResult(result)


AutoScalingResponse.describe_scaling_activities = describe_scaling_activities
