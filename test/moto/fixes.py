"""moto (5.2.1) bugs the action meets, mended:

- UpdateAutoScalingGroup without a MixedInstancesPolicy drops the group's policy
  (AWS leaves what a request does not name unchanged). A request that names a
  policy replaces it whole, as on AWS: send the whole policy.
- DeleteLaunchTemplateVersions is not implemented (HTTP 500). Deleted versions
  disappear from DescribeLaunchTemplateVersions and from $Latest; numbers are not reused;
  the default version cannot be deleted (reported as unsuccessful, as AWS does).
- CreateLaunchTemplateVersion ignores ClientToken: the same token again returns
  the version it created (idempotent, as AWS is); the same token with other
  parameters is refused (IdempotentParameterMismatch).
- CreateLaunchTemplateVersion ignores SourceVersion: AWS copies the source
  version's parameters and overrides those LaunchTemplateData names.
- UpdateAutoScalingGroup accepts a launch template version
  whose instance type EC2 does not offer (moto then fails mid-update, half
  applied). AWS validates the template first and refuses the request whole
  ("You must use a valid fully-formed launch template. ..."). Only with moto's
  MOTO_EC2_ENABLE_INSTANCE_TYPE_VALIDATION=true, as moto's own validation.
"""
import copy
import json

from moto import settings
from moto.autoscaling.exceptions import ValidationError
from moto.autoscaling.models import FakeAutoScalingGroup
from moto.ec2.models.instance_types import INSTANCE_TYPE_OFFERINGS
from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError, InvalidLaunchTemplateVersionNotFound
from moto.ec2.models.launch_templates import LaunchTemplate, LaunchTemplateBackend
from moto.ec2.responses.launch_templates import LaunchTemplates

# --- UpdateAutoScalingGroup keeps the MixedInstancesPolicy it does not name ---
_update = FakeAutoScalingGroup.update


def _check_instance_type(group, launch_template):
    """AWS validates the launch template of the request before it changes anything."""
    if not settings.EC2_ENABLE_INSTANCE_TYPE_VALIDATION or not launch_template:
        return
    ec2 = group.autoscaling_backend.ec2_backend
    template_id, name = launch_template.get("LaunchTemplateId"), launch_template.get("LaunchTemplateName")
    template = ec2.get_launch_template(template_id) if template_id else ec2.get_launch_template_by_name(name)
    instance_type = template.get_version(launch_template.get("Version") or "$Default").instance_type
    offered = {offer["InstanceType"] for offer in INSTANCE_TYPE_OFFERINGS["region"].get(group.region, [])}
    if instance_type and instance_type not in offered:
        raise ValidationError(
            "You must use a valid fully-formed launch template. "
            f"The instance type '{instance_type}' does not exist"
        )


def _update_keeping_policy(self, *args, **kwargs):
    _check_instance_type(self, kwargs.get("launch_template"))
    if kwargs.get("mixed_instances_policy") is None and not kwargs.get("launch_template") and self.mixed_instances_policy:
        kept = copy.deepcopy(self.mixed_instances_policy)
        spec = kept.get("LaunchTemplate", {}).get("LaunchTemplateSpecification", {})
        if spec.get("LaunchTemplateId"):
            spec.pop("LaunchTemplateName", None)  # moto stores both; a request carries one
        kwargs["mixed_instances_policy"] = kept
    return _update(self, *args, **kwargs)


FakeAutoScalingGroup.update = _update_keeping_policy

# --- DeleteLaunchTemplateVersions ---
_get_version = LaunchTemplate.get_version
_describe_versions = LaunchTemplateBackend.describe_launch_template_versions


def _deleted(version):
    return getattr(version, "_asgdeploy_deleted", False)


def _get_live_version(self, num):
    if str(num).lower() == "$latest":
        live = [v for v in self.versions if not _deleted(v)]
        return live[-1] if live else _get_version(self, num)
    version = _get_version(self, num)
    if _deleted(version):
        raise InvalidLaunchTemplateVersionNotFound(template_id=self.id, version=num)
    return version


def _describe_live_versions(self, *args, **kwargs):
    return [(t, v) for t, v in _describe_versions(self, *args, **kwargs) if not _deleted(v)]


def _latest_live(self):
    return _get_live_version(self, "$Latest")


def delete_launch_template_versions(self):
    name, template_id = self._get_param("LaunchTemplateName"), self._get_param("LaunchTemplateId")
    template = self.ec2_backend.get_launch_template_by_name(name) if name else self.ec2_backend.get_launch_template(template_id)
    self.error_on_dryrun()
    done, refused = [], []
    for number in self._get_param("LaunchTemplateVersion", []) or self._get_param("Versions", []):
        item = {"LaunchTemplateId": template.id, "LaunchTemplateName": template.name, "VersionNumber": int(number)}
        version = template.versions[int(number) - 1] if 0 < int(number) <= len(template.versions) else None
        if version is None or _deleted(version):
            item["ResponseError"] = {"Code": "launchTemplateVersionDoesNotExist",
                                     "Message": f"The specified launch template version {number} does not exist."}
            refused.append(item)
        elif template.is_default(version):
            item["ResponseError"] = {"Code": "unexpectedError",
                                     "Message": "You cannot delete the default version of a launch template."}
            refused.append(item)
        else:
            version._asgdeploy_deleted = True
            done.append(item)
    result = {"SuccessfullyDeletedLaunchTemplateVersions": done}
    if refused:
        result["UnsuccessfullyDeletedLaunchTemplateVersions"] = refused
    return ActionResult(result)


LaunchTemplate.get_version = _get_live_version
LaunchTemplate.latest_version = _latest_live
LaunchTemplateBackend.describe_launch_template_versions = _describe_live_versions
LaunchTemplates.delete_launch_template_versions = delete_launch_template_versions

# --- CreateLaunchTemplateVersion honours ClientToken ---
_create_version = LaunchTemplates.create_launch_template_version


class IdempotentParameterMismatch(EC2ClientError):
    def __init__(self, token):
        super().__init__("IdempotentParameterMismatch",
                         f"The client token '{token}' was used in a request with different parameters.")


def _with_source_version(self):
    """The request's LaunchTemplateData over the SourceVersion's parameters, as AWS builds a version."""
    source = self._get_param("SourceVersion")
    if not source:
        return
    name, template_id = self._get_param("LaunchTemplateName"), self._get_param("LaunchTemplateId")
    template = self.ec2_backend.get_launch_template_by_name(name) if name else self.ec2_backend.get_launch_template(template_id)
    merged = copy.deepcopy(template.get_version(source).data)
    merged.update(self._get_param("LaunchTemplateData", {}) or {})
    self._asgdeploy_data = merged


_get_param = LaunchTemplates._get_param


def _get_param_with_source(self, name, *args, **kwargs):
    if name == "LaunchTemplateData" and getattr(self, "_asgdeploy_data", None) is not None:
        return self._asgdeploy_data
    return _get_param(self, name, *args, **kwargs)


LaunchTemplates._get_param = _get_param_with_source


def _create_from_source(self):
    _with_source_version(self)
    try:
        return _create_version(self)
    finally:
        self._asgdeploy_data = None


def create_launch_template_version(self):
    token = self._get_param("ClientToken")
    if not token:
        return _create_from_source(self)
    request = {k: v for k, v in self.querystring.items() if k not in ("ClientToken", "Action", "Version")}
    fingerprint = json.dumps(request, sort_keys=True)
    tokens = self.ec2_backend.__dict__.setdefault("_asgdeploy_client_tokens", {})
    if token in tokens:
        seen, answer = tokens[token]
        if seen != fingerprint:
            raise IdempotentParameterMismatch(token)
        return answer
    answer = _create_from_source(self)
    tokens[token] = (fingerprint, answer)
    return answer


LaunchTemplates.create_launch_template_version = create_launch_template_version
