"""Launches and terminations as EC2 Auto Scaling does them, where moto does not:

- a launch whose image does not exist (or is listed in the failingImages switch)
  launches nothing and records a Failed activity with AWS's message; the group
  tries again every launchRetrySeconds while it is short of its desired capacity;
- a group with an autoscaling:EC2_INSTANCE_LAUNCHING hook holds each new
  instance in Pending:Wait (not registered in the target groups) until
  CompleteLifecycleAction or the hook's heartbeat timeout (then its default result);
- scale-in deregisters the removed instances from the group's target groups
  (they drain, see health.py); every launch and termination is an activity.
"""
import uuid

from moto.autoscaling.exceptions import ValidationError
from moto.autoscaling.models import AutoScalingBackend, FakeAutoScalingGroup
from moto.autoscaling.responses import AutoScalingResponse
from moto.core.responses import ActionResult

import activities
import health
import switches

LAUNCHING = "autoscaling:EC2_INSTANCE_LAUNCHING"
HELD = ("Pending:Wait", "Pending:Proceed")


def _image_missing(group, image_id):
    if image_id in switches.SWITCHES["failingImages"]:
        return True
    amis = group.autoscaling_backend.ec2_backend.amis
    return image_id not in amis


def _launch_hooks(group):
    hooks = group.autoscaling_backend.lifecycle_hooks.values()
    return [h for h in hooks if h.auto_scaling_group_name == group.name and h.lifecycle_transition == LAUNCHING]


_replace = FakeAutoScalingGroup.replace_autoscaling_group_instances


def _launch(self, count_needed, propagated_tags):
    before = len(self.instance_states)
    try:
        image_id = self.image_id
    except Exception:  # a version that does not exist: let moto answer as it does
        image_id = None
    if image_id is not None and _image_missing(self, image_id):
        message = f"The image id '[{image_id}]' does not exist. Launching EC2 instance failed."
        activities.record(self, f"Launching a new EC2 instance.  Status Reason: {message}",
                          activities.launch_cause(before, before + count_needed), "Failed", message)
        self._asgdeploy_failed_at = switches.now()
        switches.watch(self)
        return
    known = {state.instance.id for state in self.instance_states}
    _replace(self, count_needed, propagated_tags)
    hooks = _launch_hooks(self)
    cause = activities.launch_cause(before, before + count_needed)
    for state in self.instance_states:
        if state.instance.id in known:
            continue
        activity = activities.record(self, f"Launching a new EC2 instance: {state.instance.id}", cause,
                                     zone=state.availability_zone)
        if hooks:
            hook = hooks[0]
            state.lifecycle_state = "Pending:Wait"
            state._asgdeploy_hook = {"hook": hook, "token": str(uuid.uuid4()), "activity": activity,
                                     "deadline": switches.now() + int(hook.heartbeat_timeout)}
            activity.update(StatusCode="MidLifecycleAction", Progress=30)
            activity.pop("EndTime", None)
            switches.watch(self)


_set_desired = FakeAutoScalingGroup.set_desired_capacity


def _set_desired_capacity(self, new_capacity):
    before = {state.instance.id: state for state in self.instance_states}
    _set_desired(self, new_capacity)
    after = {state.instance.id for state in self.instance_states}
    removed = [iid for iid in before if iid not in after]
    if removed:
        cause = activities.terminate_cause(len(before), len(after))
        for iid in removed:
            activities.record(self, f"Terminating EC2 instance: {iid}", cause, zone=before[iid].availability_zone)
        health.drain(self, removed)


def _update_attached_target_groups(self, group_name):
    """moto registers every instance of the group; AWS registers an instance once it leaves Pending."""
    group = self.autoscaling_groups[group_name]
    if not group.target_group_arns:
        return
    ready = [s.instance.id for s in group.instance_states if s.lifecycle_state not in HELD]
    for tg in self.elbv2_backend.describe_target_groups(target_group_arns=group.target_group_arns,
                                                        load_balancer_arn=None, names=None):
        self.elbv2_backend.register_targets(tg.arn, [{"Id": iid, "Port": tg.port} for iid in ready])


def _end_hold(group, state, result, reason):
    held = state.__dict__.pop("_asgdeploy_hook", None)
    if held is None:
        return
    if result == "CONTINUE":
        state.lifecycle_state = "InService"
        activities.finish(held["activity"], "Successful")
        group.autoscaling_backend.update_attached_target_groups(group.name)
        return
    message = (f"Instance failed to complete user's Lifecycle Action: Lifecycle Action with token "
               f"{held['token']} was abandoned: {reason}")
    activities.finish(held["activity"], "Cancelled", message,
                      f"Launching a new EC2 instance: {state.instance.id}.  Status Reason: {message}")
    group.instance_states = [s for s in group.instance_states if s is not state]
    group.autoscaling_backend.ec2_backend.terminate_instances([state.instance.id])
    switches.watch(group)  # AWS launches a replacement


def _held_state(self):
    group = self.autoscaling_backend.autoscaling_groups.get(self._get_param("AutoScalingGroupName"))
    hook_name = self._get_param("LifecycleHookName")
    instance_id, token = self._get_param("InstanceId"), self._get_param("LifecycleActionToken")
    for state in (group.instance_states if group else []):
        held = getattr(state, "_asgdeploy_hook", None)
        if held and held["hook"].name == hook_name and (state.instance.id == instance_id or held["token"] == token):
            return group, state
    if token and not instance_id:
        raise ValidationError(f"No active Lifecycle Action found with token {token}")
    raise ValidationError(f"No active Lifecycle Action found with instance ID {instance_id}")


def complete_lifecycle_action(self):
    result = self._get_param("LifecycleActionResult")
    if result not in ("CONTINUE", "ABANDON"):
        raise ValidationError("LifecycleActionResult must be CONTINUE or ABANDON")
    group, state = _held_state(self)
    _end_hold(group, state, result, "Lifecycle Action Completed with ABANDON Result")
    return ActionResult({})


def record_lifecycle_action_heartbeat(self):
    _, state = _held_state(self)
    held = state._asgdeploy_hook
    held["deadline"] = switches.now() + int(held["hook"].heartbeat_timeout)
    return ActionResult({})


def tick(group):
    """Heartbeat timeouts and launch retries of one group; returns True while it still has work."""
    if group.autoscaling_backend.autoscaling_groups.get(group.name) is not group:
        return False
    pending = False
    for state in list(group.instance_states):
        held = getattr(state, "_asgdeploy_hook", None)
        if held and switches.now() >= held["deadline"]:
            _end_hold(group, state, held["hook"].default_result, "Heartbeat Timeout")
        elif held:
            pending = True
    short = (group.desired_capacity or 0) > len(group.instance_states)
    if short:
        failed_at = getattr(group, "_asgdeploy_failed_at", None)
        if failed_at is None or switches.now() - failed_at >= switches.SWITCHES["launchRetrySeconds"]:
            group._asgdeploy_failed_at = None
            group.set_desired_capacity(group.desired_capacity)
        pending = pending or (group.desired_capacity or 0) > len(group.instance_states)
    return pending or any(getattr(s, "_asgdeploy_hook", None) for s in group.instance_states)


FakeAutoScalingGroup.replace_autoscaling_group_instances = _launch
FakeAutoScalingGroup.set_desired_capacity = _set_desired_capacity
AutoScalingBackend.update_attached_target_groups = _update_attached_target_groups
AutoScalingResponse.complete_lifecycle_action = complete_lifecycle_action
AutoScalingResponse.record_lifecycle_action_heartbeat = record_lifecycle_action_heartbeat
