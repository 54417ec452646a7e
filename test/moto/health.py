"""Target health that takes time, as an Application Load Balancer reports it
(moto reports every registered target `healthy` at once):

- a target registered less than healthSeconds ago is `initial`
  (Elb.RegistrationInProgress), then `healthy`;
- every target of a target group named in unhealthyTargetGroups (name or ARN)
  is `unhealthy` (Target.FailedHealthChecks);
- a target deregistered by a scale-in, an Instance Refresh or a lifecycle hook
  abandon is `draining` (Target.DeregistrationInProgress) for the deregistration
  delay (drainSeconds, or the target group's deregistration_delay.timeout_seconds),
  listed by DescribeTargetHealth meanwhile, then gone.
"""
from moto.elbv2.models import ELBv2Backend, FakeHealthStatus, FakeTargetGroup

import switches

_register = FakeTargetGroup.register
_health_for = FakeTargetGroup.health_for
_describe = ELBv2Backend.describe_target_health


def _registered(tg):
    if not hasattr(tg, "_asgdeploy_registered"):
        tg._asgdeploy_registered = {}
    return tg._asgdeploy_registered


def _draining(tg):
    if not hasattr(tg, "_asgdeploy_draining"):
        tg._asgdeploy_draining = {}
    return tg._asgdeploy_draining


def _drain_seconds(tg):
    chosen = switches.SWITCHES["drainSeconds"]
    return float(chosen if chosen is not None else tg.attributes.get("deregistration_delay.timeout_seconds", 300))


def register(self, targets):
    fresh = [t["Id"] for t in targets if t["Id"] not in self.targets]
    _register(self, targets)
    for target_id in fresh:
        _registered(self)[target_id] = switches.now()
        _draining(self).pop(target_id, None)


def drain(group, instance_ids):
    """Deregisters the instances from the group's target groups: they drain for the deregistration delay."""
    backend = group.autoscaling_backend.elbv2_backend
    for arn in group.target_group_arns:
        tg = backend.target_groups.get(arn)
        for target_id in instance_ids if tg else []:
            target = tg.targets.pop(target_id, None)
            if target is not None:
                _draining(tg)[target_id] = (switches.now() + _drain_seconds(tg), target["Port"])


def _unhealthy(tg):
    names = switches.SWITCHES["unhealthyTargetGroups"]
    return tg.name in names or tg.arn in names


def health_for(self, target, ec2_backend):
    target_id = target["Id"]
    drained = _draining(self).get(target_id)
    if target_id not in self.targets and drained and switches.now() < drained[0]:
        return FakeHealthStatus(target_id, drained[1], self.health_check_port, "draining",
                                "Target.DeregistrationInProgress", "Target deregistration is in progress")
    status = _health_for(self, target, ec2_backend)
    if status.status != "healthy":
        return status
    if _unhealthy(self):
        status.status, status.reason, status.description = (
            "unhealthy", "Target.FailedHealthChecks", "Health checks failed")
    elif switches.now() - _registered(self).get(target_id, 0) < switches.SWITCHES["healthSeconds"]:
        status.status, status.reason, status.description = (
            "initial", "Elb.RegistrationInProgress", "Target registration is in progress")
    return status


def describe_target_health(self, target_group_arn, targets):
    found = _describe(self, target_group_arn, targets)
    if targets:
        return found
    tg = self.target_groups[target_group_arn]
    for target_id, (until, port) in list(_draining(tg).items()):
        if switches.now() >= until:
            del _draining(tg)[target_id]
        elif target_id not in tg.targets:
            found.append(tg.health_for({"Id": target_id, "Port": port}, self.ec2_backend))
    return found


FakeTargetGroup.register = register
FakeTargetGroup.health_for = health_for
ELBv2Backend.describe_target_health = describe_target_health
