"""Create the resources of infra/template.yaml with boto3, against whatever AWS boto3 points at."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import boto3
import yaml
from botocore.exceptions import BotoCoreError, ClientError

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_TEMPLATE = PROJECT_DIR / "infra" / "template.yaml"
FUNCTION_LOGICAL_ID = "APIHandler"
DEFAULT_ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "us-east-1"
DEMO_PASSWORD = "Demo-password-1!"  # noqa: S105 (a published local-only demo password)
LOCAL_PARAMETERS: Mapping[str, str] = {
    "Stage": "local",
    "CreateDemoUsers": "true",
    "MailSender": "no-reply@irc.example.com",
    "PublicBaseUrl": "http://localhost:8000",
}
# Limits that a run filing many reports from one address (the test suite, the benchmark) never
# reaches; `make run` keeps the template's defaults, and tests of the limits set their own.
GENEROUS_LIMITS: Mapping[str, str] = {
    "ReportsPerClientPerHour": "100000",
    "UploadsPerClientPerHour": "100000",
    "AcknowledgementsPerRecipientPerDay": "100000",
}

# What guards only the deployed API, in front of API Gateway, which does not run locally: the app's
# own limits hold there instead (chalicelib/domain/limits.py).
NOT_LOCAL_TYPES = frozenset({"AWS::WAFv2::WebACL", "AWS::WAFv2::WebACLAssociation"})

_NO_VALUE = object()
_SUB_VARIABLE = re.compile(r"\$\{([^}]+)\}")


class TemplateError(ValueError):
    """A template that this provisioner cannot read or create."""


@dataclass
class LocalStack:
    """What provision() created: the function's environment, physical ids and demo users."""

    environment: dict[str, str]
    physical_ids: dict[str, str]
    demo_users: dict[str, dict[str, str]]
    outputs: dict[str, str] = field(default_factory=dict)
    region: str = DEFAULT_REGION
    account_id: str = DEFAULT_ACCOUNT_ID
    not_created: list[str] = field(default_factory=list)


@dataclass
class _Created:
    ref: str
    attributes: dict[str, str] = field(default_factory=dict)


class _Stack:
    """Resolve intrinsics and create resources one by one, in dependency order."""

    def __init__(
        self,
        template: dict[str, Any],
        parameters: Mapping[str, str],
        session: boto3.session.Session,
        stack_name: str,
    ) -> None:
        self.template = template
        self.session = session
        self.region = session.region_name or DEFAULT_REGION
        self._clients: dict[str, Any] = {}
        self.account_id = self._account_id()
        self.pseudo: dict[str, Any] = {
            "AWS::AccountId": self.account_id,
            "AWS::Region": self.region,
            "AWS::StackName": stack_name,
            "AWS::StackId": (
                f"arn:aws:cloudformation:{self.region}:{self.account_id}:stack/{stack_name}/local"
            ),
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::NoValue": _NO_VALUE,
        }
        self.parameters = _parameter_values(template.get("Parameters", {}), parameters)
        self.conditions: dict[str, bool] = {}
        self.created: dict[str, _Created] = {}
        self.users: list[str] = []
        self.memberships: dict[str, str] = {}

    def client(self, service: str) -> Any:
        """Return this stack's boto3 client for the service, creating it once."""
        if service not in self._clients:
            self._clients[service] = self.session.client(service, region_name=self.region)
        return self._clients[service]

    def _account_id(self) -> str:
        try:
            return str(self.client("sts").get_caller_identity()["Account"])
        except (BotoCoreError, ClientError):
            return DEFAULT_ACCOUNT_ID

    def condition(self, name: str) -> bool:
        """Evaluate the named condition once."""
        if name not in self.conditions:
            definitions = self.template.get("Conditions", {})
            if name not in definitions:
                raise TemplateError(f"unknown condition {name!r}")
            self.conditions[name] = bool(self.resolve(definitions[name]))
        return self.conditions[name]

    def resolve(self, value: Any) -> Any:
        """Return value with every intrinsic function replaced by its result."""
        if isinstance(value, list):
            items = [self.resolve(item) for item in value]
            return [item for item in items if item is not _NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, argument),) = value.items()
            if (
                key == "Ref"
                or key.startswith("Fn::")
                or (key == "Condition" and isinstance(argument, str))
            ):
                return self._intrinsic(key, argument)
        resolved = {key: self.resolve(item) for key, item in value.items()}
        return {key: item for key, item in resolved.items() if item is not _NO_VALUE}

    def _intrinsic(self, key: str, argument: Any) -> Any:
        if key == "Ref":
            return self._ref(argument)
        if key == "Fn::GetAtt":
            logical_id, attribute = (
                argument.split(".", 1) if isinstance(argument, str) else argument
            )
            return self._get_att(logical_id, self.resolve(attribute))
        if key == "Fn::Sub":
            return self._sub(argument)
        if key == "Fn::If":
            name, if_true, if_false = argument
            return self.resolve(if_true if self.condition(name) else if_false)
        if key == "Fn::Equals":
            left, right = (self.resolve(item) for item in argument)
            return str(left) == str(right)
        if key == "Fn::Not":
            return not self.resolve(argument[0])
        if key == "Fn::And":
            return all(self.resolve(item) for item in argument)
        if key == "Fn::Or":
            return any(self.resolve(item) for item in argument)
        if key == "Condition":
            return self.condition(argument)
        if key == "Fn::Join":
            delimiter, items = argument
            return delimiter.join(str(item) for item in self.resolve(items))
        raise TemplateError(f"unsupported intrinsic function {key}")

    def _ref(self, name: str) -> Any:
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        if name in self.created:
            return self.created[name].ref
        if "Type" not in self.template["Resources"].get(name, {"Type": None}):
            # A fragment merged into a resource Chalice generates (a function): no such resource
            # exists locally, so it is named after its stack and logical id.
            return f"{self.pseudo['AWS::StackName']}-{name}"
        raise TemplateError(f"Ref to {name!r}, which is neither a parameter nor created yet")

    def _get_att(self, logical_id: str, attribute: str) -> str:
        created = self.created.get(logical_id)
        if created is None:
            raise TemplateError(f"Fn::GetAtt on {logical_id!r}, which is not created yet")
        if attribute not in created.attributes:
            raise TemplateError(f"Fn::GetAtt {logical_id}.{attribute} is not supported locally")
        return created.attributes[attribute]

    def _sub(self, argument: Any) -> str:
        text, variables = (argument, {}) if isinstance(argument, str) else argument
        values = {name: self.resolve(value) for name, value in variables.items()}

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in values:
                return str(values[name])
            if "." in name and name.split(".", 1)[0] in self.created:
                return self._get_att(*name.split(".", 1))
            return str(self._ref(name))

        return _SUB_VARIABLE.sub(replace, text)


def provision(
    template: Path = DEFAULT_TEMPLATE,
    parameters: Mapping[str, str] | None = None,
    *,
    stack_name: str = "irc-local",
    session: boto3.session.Session | None = None,
) -> LocalStack:
    """Create every resource of the template and return what the function needs to reach them."""
    document = _load_template(template.resolve(), template.stat().st_mtime_ns)
    if not isinstance(document, dict) or not isinstance(document.get("Resources"), dict):
        raise TemplateError(f"{template} has no Resources")
    stack = _Stack(document, parameters or {}, session or _shared_session(), stack_name)
    resources: dict[str, dict[str, Any]] = document["Resources"]
    not_created: list[str] = []
    for logical_id in _creation_order(resources):
        definition = resources[logical_id]
        if "Type" not in definition:
            continue
        if "Condition" in definition and not stack.condition(definition["Condition"]):
            continue
        if definition["Type"] in NOT_LOCAL_TYPES:
            not_created.append(logical_id)
            continue
        creator = _CREATORS.get(definition["Type"])
        if creator is None:
            raise TemplateError(
                f"{logical_id}: resource type {definition['Type']} is not supported"
            )
        properties = stack.resolve(definition.get("Properties", {}))
        stack.created[logical_id] = creator(stack, properties)
    function = resources.get(FUNCTION_LOGICAL_ID, {})
    variables = function.get("Properties", {}).get("Environment", {}).get("Variables", {})
    return LocalStack(
        environment={name: str(value) for name, value in stack.resolve(variables).items()},
        physical_ids={logical_id: created.ref for logical_id, created in stack.created.items()},
        demo_users=_demo_users(stack),
        outputs={
            name: str(stack.resolve(output["Value"]))
            for name, output in document.get("Outputs", {}).items()
            if "Condition" not in output or stack.condition(output["Condition"])
        },
        region=stack.region,
        account_id=stack.account_id,
        not_created=not_created,
    )


@cache
def _load_template(path: Path, mtime_ns: int) -> Any:
    """Parse the template once per version of the file; callers never mutate the result."""
    return yaml.safe_load(path.read_text())


@cache
def _shared_session() -> boto3.session.Session:
    """Return one session for all calls, so that botocore loads its service models once."""
    return boto3.session.Session()


def _demo_users(stack: _Stack) -> dict[str, dict[str, str]]:
    users = {}
    for username in stack.users:
        role = username.removeprefix("demo-")
        users[role] = {
            "username": username,
            "password": DEMO_PASSWORD,
            "group": stack.memberships.get(username, ""),
        }
    return users


def _parameter_values(
    declared: Mapping[str, Mapping[str, Any]], given: Mapping[str, str]
) -> dict[str, Any]:
    unknown = set(given) - set(declared)
    if unknown:
        raise TemplateError(f"unknown parameters: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for name, spec in declared.items():
        if name in given:
            raw = given[name]
        elif "Default" in spec:
            raw = spec["Default"]
        else:
            raise TemplateError(f"parameter {name} has no default and no value was given")
        allowed = spec.get("AllowedValues")
        if allowed is not None and str(raw) not in [str(item) for item in allowed]:
            raise TemplateError(f"parameter {name}={raw!r} is not one of {allowed}")
        values[name] = _number(raw) if spec.get("Type") == "Number" else str(raw)
    return values


def _number(raw: Any) -> int | float:
    number = float(raw)
    return int(number) if number.is_integer() else number


def _creation_order(resources: Mapping[str, Mapping[str, Any]]) -> list[str]:
    order: list[str] = []
    visiting: set[str] = set()

    def visit(logical_id: str) -> None:
        if logical_id in order:
            return
        if logical_id in visiting:
            raise TemplateError(f"circular dependency through {logical_id}")
        visiting.add(logical_id)
        definition = resources[logical_id]
        depends_on = definition.get("DependsOn", [])
        names = [depends_on] if isinstance(depends_on, str) else list(depends_on)
        names += _references(definition.get("Properties", {}))
        for name in names:
            if name in resources and name != logical_id:
                visit(name)
        visiting.discard(logical_id)
        order.append(logical_id)

    for logical_id in resources:
        visit(logical_id)
    return order


def _references(value: Any) -> Iterator[str]:
    if isinstance(value, list):
        for item in value:
            yield from _references(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "Ref" and isinstance(item, str):
                yield item
            elif key == "Fn::GetAtt":
                yield item.split(".", 1)[0] if isinstance(item, str) else item[0]
            elif key == "Fn::Sub":
                text = item if isinstance(item, str) else item[0]
                for match in _SUB_VARIABLE.finditer(text):
                    yield match.group(1).split(".", 1)[0]
                yield from _references(item)
            else:
                yield from _references(item)


def _check(kind: str, properties: Mapping[str, Any], supported: set[str]) -> None:
    unsupported = set(properties) - supported
    if unsupported:
        raise TemplateError(f"{kind}: unsupported properties {sorted(unsupported)}")


def _table(stack: _Stack, props: dict[str, Any]) -> _Created:
    _check(
        "AWS::DynamoDB::Table",
        props,
        {
            "TableName",
            "BillingMode",
            "AttributeDefinitions",
            "KeySchema",
            "GlobalSecondaryIndexes",
            "LocalSecondaryIndexes",
            "ProvisionedThroughput",
            "TimeToLiveSpecification",
            "SSESpecification",
            "PointInTimeRecoverySpecification",
            "DeletionProtectionEnabled",
            "StreamSpecification",
            "Tags",
        },
    )
    dynamodb = stack.client("dynamodb")
    name = props["TableName"]
    request: dict[str, Any] = {
        key: props[key]
        for key in (
            "TableName",
            "BillingMode",
            "AttributeDefinitions",
            "KeySchema",
            "GlobalSecondaryIndexes",
            "LocalSecondaryIndexes",
            "ProvisionedThroughput",
            "DeletionProtectionEnabled",
            "Tags",
        )
        if key in props
    }
    if "SSESpecification" in props:
        sse = dict(props["SSESpecification"])
        request["SSESpecification"] = {"Enabled": sse.pop("SSEEnabled", False), **sse}
    if "StreamSpecification" in props:
        request["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
    table = dynamodb.create_table(**request)["TableDescription"]
    dynamodb.get_waiter("table_exists").wait(TableName=name)
    if "TimeToLiveSpecification" in props:
        dynamodb.update_time_to_live(
            TableName=name, TimeToLiveSpecification=props["TimeToLiveSpecification"]
        )
    if "PointInTimeRecoverySpecification" in props:
        dynamodb.update_continuous_backups(
            TableName=name,
            PointInTimeRecoverySpecification=props["PointInTimeRecoverySpecification"],
        )
    attributes = {"Arn": table["TableArn"]}
    if "LatestStreamArn" in table:
        attributes["StreamArn"] = table["LatestStreamArn"]
    return _Created(name, attributes)


def _bucket(stack: _Stack, props: dict[str, Any]) -> _Created:
    _check(
        "AWS::S3::Bucket",
        props,
        {
            "BucketName",
            "VersioningConfiguration",
            "BucketEncryption",
            "PublicAccessBlockConfiguration",
            "LifecycleConfiguration",
            "CorsConfiguration",
            "ObjectLockEnabled",
            "ObjectLockConfiguration",
            "Tags",
        },
    )
    s3 = stack.client("s3")
    name = props["BucketName"]
    request: dict[str, Any] = {"Bucket": name}
    if stack.region != "us-east-1":
        request["CreateBucketConfiguration"] = {"LocationConstraint": stack.region}
    if props.get("ObjectLockEnabled"):
        request["ObjectLockEnabledForBucket"] = True
    s3.create_bucket(**request)
    if "VersioningConfiguration" in props:
        s3.put_bucket_versioning(
            Bucket=name, VersioningConfiguration=props["VersioningConfiguration"]
        )
    if "BucketEncryption" in props:
        rules = [
            {
                "ApplyServerSideEncryptionByDefault": rule["ServerSideEncryptionByDefault"],
                **(
                    {"BucketKeyEnabled": rule["BucketKeyEnabled"]}
                    if "BucketKeyEnabled" in rule
                    else {}
                ),
            }
            for rule in props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        ]
        s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": rules})
    if "PublicAccessBlockConfiguration" in props:
        s3.put_public_access_block(
            Bucket=name, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"]
        )
    if "LifecycleConfiguration" in props:
        s3.put_bucket_lifecycle_configuration(
            Bucket=name,
            LifecycleConfiguration={
                "Rules": [
                    _lifecycle_rule(rule) for rule in props["LifecycleConfiguration"]["Rules"]
                ]
            },
        )
    if "CorsConfiguration" in props:
        s3.put_bucket_cors(
            Bucket=name,
            CORSConfiguration={
                "CORSRules": [_cors_rule(rule) for rule in props["CorsConfiguration"]["CorsRules"]]
            },
        )
    if "ObjectLockConfiguration" in props:
        s3.put_object_lock_configuration(
            Bucket=name, ObjectLockConfiguration=props["ObjectLockConfiguration"]
        )
    if "Tags" in props:
        s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": props["Tags"]})
    return _Created(
        name,
        {
            "Arn": f"arn:aws:s3:::{name}",
            "DomainName": f"{name}.s3.amazonaws.com",
            "RegionalDomainName": f"{name}.s3.{stack.region}.amazonaws.com",
        },
    )


def _lifecycle_rule(rule: Mapping[str, Any]) -> dict[str, Any]:
    _check(
        "S3 lifecycle rule",
        rule,
        {
            "Id",
            "Status",
            "Prefix",
            "ExpirationInDays",
            "ExpirationDate",
            "ExpiredObjectDeleteMarker",
            "NoncurrentVersionExpiration",
            "NoncurrentVersionExpirationInDays",
            "AbortIncompleteMultipartUpload",
            "TagFilters",
        },
    )
    prefix, tags = rule.get("Prefix", ""), list(rule.get("TagFilters", []))
    converted: dict[str, Any] = {
        "Status": rule["Status"],
        "Filter": {"And": {"Prefix": prefix, "Tags": tags}} if tags else {"Prefix": prefix},
    }
    if "Id" in rule:
        converted["ID"] = rule["Id"]
    expiration = {
        api_key: rule[key]
        for key, api_key in (
            ("ExpirationInDays", "Days"),
            ("ExpirationDate", "Date"),
            ("ExpiredObjectDeleteMarker", "ExpiredObjectDeleteMarker"),
        )
        if key in rule
    }
    if expiration:
        converted["Expiration"] = expiration
    if "NoncurrentVersionExpirationInDays" in rule:
        converted["NoncurrentVersionExpiration"] = {
            "NoncurrentDays": rule["NoncurrentVersionExpirationInDays"]
        }
    for key in ("NoncurrentVersionExpiration", "AbortIncompleteMultipartUpload"):
        if key in rule:
            converted[key] = rule[key]
    return converted


def _cors_rule(rule: Mapping[str, Any]) -> dict[str, Any]:
    names = {
        "Id": "ID",
        "AllowedHeaders": "AllowedHeaders",
        "AllowedMethods": "AllowedMethods",
        "AllowedOrigins": "AllowedOrigins",
        "ExposedHeaders": "ExposeHeaders",
        "MaxAge": "MaxAgeSeconds",
    }
    _check("S3 CORS rule", rule, set(names))
    return {names[key]: value for key, value in rule.items()}


def _user_pool(stack: _Stack, props: dict[str, Any]) -> _Created:
    request = dict(props)
    if "UserPoolName" in request:
        request["PoolName"] = request.pop("UserPoolName")
    pool = stack.client("cognito-idp").create_user_pool(**request)["UserPool"]
    provider = f"cognito-idp.{stack.region}.amazonaws.com/{pool['Id']}"
    return _Created(
        pool["Id"],
        {
            "Arn": pool["Arn"],
            "UserPoolId": pool["Id"],
            "ProviderName": provider,
            "ProviderURL": f"https://{provider}",
        },
    )


def _user_pool_client(stack: _Stack, props: dict[str, Any]) -> _Created:
    client = stack.client("cognito-idp").create_user_pool_client(**props)["UserPoolClient"]
    return _Created(
        client["ClientId"], {"ClientId": client["ClientId"], "Name": client["ClientName"]}
    )


def _user_pool_group(stack: _Stack, props: dict[str, Any]) -> _Created:
    group = stack.client("cognito-idp").create_group(**props)["Group"]
    return _Created(group["GroupName"])


def _user_pool_user(stack: _Stack, props: dict[str, Any]) -> _Created:
    cognito = stack.client("cognito-idp")
    user = cognito.admin_create_user(**props)["User"]
    cognito.admin_set_user_password(
        UserPoolId=props["UserPoolId"],
        Username=user["Username"],
        Password=DEMO_PASSWORD,
        Permanent=True,
    )
    stack.users.append(user["Username"])
    return _Created(user["Username"])


def _user_to_group(stack: _Stack, props: dict[str, Any]) -> _Created:
    stack.client("cognito-idp").admin_add_user_to_group(**props)
    stack.memberships[props["Username"]] = props["GroupName"]
    return _Created(f"{props['UserPoolId']}:{props['GroupName']}:{props['Username']}")


def _email_identity(stack: _Stack, props: dict[str, Any]) -> _Created:
    _check("AWS::SES::EmailIdentity", props, {"EmailIdentity"})
    identity = props["EmailIdentity"]
    ses = stack.client("ses")
    if "@" in identity:
        ses.verify_email_identity(EmailAddress=identity)
    else:
        ses.verify_domain_identity(Domain=identity)
    return _Created(identity)


def _key(stack: _Stack, props: dict[str, Any]) -> _Created:
    _check("AWS::KMS::Key", props, {"Description", "KeySpec", "KeyUsage", "KeyPolicy"})
    metadata = stack.client("kms").create_key(
        Description=props.get("Description", ""),
        KeySpec=props["KeySpec"],
        KeyUsage=props["KeyUsage"],
        Policy=json.dumps(props["KeyPolicy"]),
    )["KeyMetadata"]
    return _Created(metadata["KeyId"], {"Arn": metadata["Arn"], "KeyId": metadata["KeyId"]})


def _alias(stack: _Stack, props: dict[str, Any]) -> _Created:
    _check("AWS::KMS::Alias", props, {"AliasName", "TargetKeyId"})
    stack.client("kms").create_alias(AliasName=props["AliasName"], TargetKeyId=props["TargetKeyId"])
    return _Created(props["AliasName"])


def _queue(stack: _Stack, props: dict[str, Any]) -> _Created:
    _check(
        "AWS::SQS::Queue",
        props,
        {
            "QueueName",
            "FifoQueue",
            "ContentBasedDeduplication",
            "MessageRetentionPeriod",
            "SqsManagedSseEnabled",
        },
    )
    attributes = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in props.items()}
    name = attributes.pop("QueueName")
    sqs = stack.client("sqs")
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    return _Created(url, {"Arn": arn["QueueArn"], "QueueName": name})


def _alarm(stack: _Stack, props: dict[str, Any]) -> _Created:
    _check(
        "AWS::CloudWatch::Alarm",
        props,
        {
            "AlarmName",
            "AlarmDescription",
            "Namespace",
            "MetricName",
            "Dimensions",
            "Statistic",
            "Period",
            "EvaluationPeriods",
            "Threshold",
            "ComparisonOperator",
            "TreatMissingData",
            "AlarmActions",
        },
    )
    request = {k: v for k, v in props.items() if k != "AlarmActions" or v}
    for number in ("Period", "EvaluationPeriods"):
        request[number] = int(request[number])
    request["Threshold"] = float(request["Threshold"])
    stack.client("cloudwatch").put_metric_alarm(**request)
    return _Created(props["AlarmName"])


def _managed_policy(stack: _Stack, props: dict[str, Any]) -> _Created:
    _check("AWS::IAM::ManagedPolicy", props, {"Description", "PolicyDocument"})
    document = json.dumps(props["PolicyDocument"], sort_keys=True)
    # CloudFormation names an unnamed policy after its stack; so does this, by its content.
    name = f"{stack.pseudo['AWS::StackName']}-{hashlib.sha256(document.encode()).hexdigest()[:12]}"
    policy = stack.client("iam").create_policy(
        PolicyName=name, PolicyDocument=document, Description=props.get("Description", "")
    )["Policy"]
    return _Created(policy["Arn"], {"PolicyArn": policy["Arn"]})


def _log_group(stack: _Stack, props: dict[str, Any]) -> _Created:
    _check("AWS::Logs::LogGroup", props, {"LogGroupName", "RetentionInDays"})
    name = props["LogGroupName"]
    logs = stack.client("logs")
    logs.create_log_group(logGroupName=name)
    if "RetentionInDays" in props:
        logs.put_retention_policy(logGroupName=name, retentionInDays=int(props["RetentionInDays"]))
    arn = f"arn:aws:logs:{stack.region}:{stack.account_id}:log-group:{name}:*"
    return _Created(name, {"Arn": arn})


_CREATORS: dict[str, Callable[[_Stack, dict[str, Any]], _Created]] = {
    "AWS::DynamoDB::Table": _table,
    "AWS::S3::Bucket": _bucket,
    "AWS::Cognito::UserPool": _user_pool,
    "AWS::Cognito::UserPoolClient": _user_pool_client,
    "AWS::Cognito::UserPoolGroup": _user_pool_group,
    "AWS::Cognito::UserPoolUser": _user_pool_user,
    "AWS::Cognito::UserPoolUserToGroupAttachment": _user_to_group,
    "AWS::SES::EmailIdentity": _email_identity,
    "AWS::SQS::Queue": _queue,
    "AWS::KMS::Key": _key,
    "AWS::KMS::Alias": _alias,
    "AWS::CloudWatch::Alarm": _alarm,
    "AWS::IAM::ManagedPolicy": _managed_policy,
    "AWS::Logs::LogGroup": _log_group,
}
