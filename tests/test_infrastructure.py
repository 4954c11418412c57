"""The template, the local stack built from it, and the IAM policies agree with each other."""

from __future__ import annotations

import json
import re
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml
from cfnlint.api import lint
from chalice.package import TemplateDeepMerger

from tools.provision import (
    DEFAULT_TEMPLATE,
    DEMO_PASSWORD,
    FUNCTION_LOGICAL_ID,
    LOCAL_PARAMETERS,
    PROJECT_DIR,
    LocalStack,
    TemplateError,
    provision,
)

TEMPLATE: dict[str, Any] = yaml.safe_load(DEFAULT_TEMPLATE.read_text())
RESOURCES: dict[str, dict[str, Any]] = TEMPLATE["Resources"]
PARAMETERS: dict[str, dict[str, Any]] = TEMPLATE["Parameters"]
ACCOUNT_ID = "123456789012"
POLICY_FILES = sorted((PROJECT_DIR / ".chalice").glob("policy-*.json"))
AUDIT_FORBIDDEN = {
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:DeleteTable",
    "dynamodb:UpdateTable",
}
SERVICES_WITHOUT_RESOURCE_LEVEL: set[str] = set()


def of_type(resource_type: str) -> list[str]:
    """Return the logical ids of the template's resources of the given type."""
    return [name for name, body in RESOURCES.items() if body.get("Type") == resource_type]


def expected(value: Any) -> Any:
    """Resolve the Ref and Fn::Sub of a template value with the local parameters."""
    parameters = {
        name: LOCAL_PARAMETERS.get(name, spec.get("Default"))
        for name, spec in TEMPLATE["Parameters"].items()
    }
    parameters["AWS::AccountId"] = ACCOUNT_ID
    if isinstance(value, list):
        return [expected(item) for item in value]
    if isinstance(value, dict):
        if set(value) == {"Ref"} and value["Ref"] in parameters:
            return parameters[value["Ref"]]
        if set(value) == {"Fn::Sub"}:
            return re.sub(r"\$\{([^}]+)\}", lambda m: str(parameters[m.group(1)]), value["Fn::Sub"])
        return {key: expected(item) for key, item in value.items()}
    return value


@pytest.fixture
def in_process_aws(empty_aws: None) -> None:
    """Run the test against moto in this process, in a fake account with nothing in it."""


@pytest.fixture
def stack(in_process_aws: None) -> LocalStack:
    """Provision the template with the local parameters."""
    return provision(parameters=LOCAL_PARAMETERS)


@pytest.mark.parametrize("logical_id", of_type("AWS::DynamoDB::Table"))
def test_table_matches_template(stack: LocalStack, logical_id: str) -> None:
    props = expected(RESOURCES[logical_id]["Properties"])
    dynamodb = boto3.client("dynamodb")
    table = dynamodb.describe_table(TableName=props["TableName"])["Table"]

    assert stack.physical_ids[logical_id] == props["TableName"]
    assert table["KeySchema"] == props["KeySchema"]
    assert sorted(table["AttributeDefinitions"], key=str) == sorted(
        props["AttributeDefinitions"], key=str
    )
    assert table["BillingModeSummary"]["BillingMode"] == props["BillingMode"]
    described = {index["IndexName"]: index for index in table.get("GlobalSecondaryIndexes", [])}
    declared = {index["IndexName"]: index for index in props.get("GlobalSecondaryIndexes", [])}
    assert set(described) == set(declared)
    for name, index in declared.items():
        assert described[name]["KeySchema"] == index["KeySchema"]
        assert described[name]["Projection"] == index["Projection"]
    assert table["SSEDescription"]["Status"] == "ENABLED"
    assert table.get("DeletionProtectionEnabled", False) == props.get(
        "DeletionProtectionEnabled", False
    )
    backups = dynamodb.describe_continuous_backups(TableName=props["TableName"])
    recovery = backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert recovery["PointInTimeRecoveryStatus"] == "ENABLED"
    ttl = dynamodb.describe_time_to_live(TableName=props["TableName"])["TimeToLiveDescription"]
    if "TimeToLiveSpecification" in props:
        assert ttl["TimeToLiveStatus"] == "ENABLED"
        assert ttl["AttributeName"] == props["TimeToLiveSpecification"]["AttributeName"]
    else:
        assert ttl["TimeToLiveStatus"] == "DISABLED"


@pytest.mark.parametrize("logical_id", of_type("AWS::S3::Bucket"))
def test_bucket_matches_template(stack: LocalStack, logical_id: str) -> None:
    props = expected(RESOURCES[logical_id]["Properties"])
    s3 = boto3.client("s3")
    name = props["BucketName"]

    assert stack.physical_ids[logical_id] == name
    assert name.endswith(f"-{ACCOUNT_ID}")
    versioning = s3.get_bucket_versioning(Bucket=name)
    assert versioning["Status"] == props["VersioningConfiguration"]["Status"] == "Enabled"
    rules = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"]
    assert [rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] for rule in rules] == [
        "AES256"
    ]
    block = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
    assert block == props["PublicAccessBlockConfiguration"]
    assert all(block.values()) and len(block) == 4


def test_uploads_bucket_expires_staging_and_allows_form_posts(stack: LocalStack) -> None:
    props = expected(RESOURCES["UploadsBucket"]["Properties"])
    s3 = boto3.client("s3")
    name = stack.environment["UPLOADS_BUCKET"]

    rule, checked, exports = s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"]
    declared, _, _ = props["LifecycleConfiguration"]["Rules"]
    assert exports["Filter"] == {"Prefix": "exports/"} and exports["Expiration"] == {"Days": 1}
    # checked uploads wait for the relay to preserve them, longer than a parked copy's replay
    assert checked["Filter"] == {"Prefix": "checked/"} and checked["Expiration"] == {"Days": 30}
    assert rule["Status"] == "Enabled"
    assert rule["Filter"] == {"Prefix": "staging/"}
    assert rule["Expiration"] == {"Days": int(declared["ExpirationInDays"])}
    assert rule["NoncurrentVersionExpiration"] == {"NoncurrentDays": 1}
    assert rule["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 1}
    (cors,) = s3.get_bucket_cors(Bucket=name)["CORSRules"]
    assert set(cors["AllowedMethods"]) == {"POST", "GET", "HEAD"}
    assert cors["AllowedOrigins"] == ["*"]
    assert cors["AllowedHeaders"] == ["*"]
    assert cors["ExposeHeaders"] == ["ETag"]
    assert cors["MaxAgeSeconds"] == 3000


def test_evidence_bucket_locks_objects_by_default(stack: LocalStack) -> None:
    s3 = boto3.client("s3")
    name = stack.environment["EVIDENCE_BUCKET"]

    lock = s3.get_object_lock_configuration(Bucket=name)["ObjectLockConfiguration"]
    assert lock["ObjectLockEnabled"] == "Enabled"
    assert lock["Rule"]["DefaultRetention"]["Mode"] == "GOVERNANCE"
    assert lock["Rule"]["DefaultRetention"]["Days"] == 365


def test_user_pool_has_groups_with_demo_users_who_can_sign_in(stack: LocalStack) -> None:
    cognito = boto3.client("cognito-idp")
    pool_id = stack.environment["USER_POOL_ID"]
    client_id = stack.environment["USER_POOL_CLIENT_ID"]

    groups = {group["GroupName"] for group in cognito.list_groups(UserPoolId=pool_id)["Groups"]}
    assert groups == {"reviewers", "auditors", "admins", "trusted_flaggers"}
    assert set(stack.demo_users) == {"reviewer", "auditor", "admin", "trusted_flagger"}
    for role, user in stack.demo_users.items():
        assert user == {"username": f"demo-{role}", "password": DEMO_PASSWORD, "group": f"{role}s"}
        members = cognito.list_users_in_group(UserPoolId=pool_id, GroupName=user["group"])
        assert [member["Username"] for member in members["Users"]] == [user["username"]]
        result = cognito.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": user["username"], "PASSWORD": user["password"]},
        )
        assert "IdToken" in result["AuthenticationResult"]
    client = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    assert "ClientSecret" not in client["UserPoolClient"]


def test_no_demo_users_unless_asked(in_process_aws: None) -> None:
    stack = provision(parameters={**LOCAL_PARAMETERS, "CreateDemoUsers": "false"})

    assert stack.demo_users == {}
    users = boto3.client("cognito-idp").list_users(UserPoolId=stack.environment["USER_POOL_ID"])
    assert users["Users"] == []


def test_mail_sender_is_verified(stack: LocalStack) -> None:
    sender = stack.environment["MAIL_SENDER"]
    attributes = boto3.client("ses").get_identity_verification_attributes(Identities=[sender])

    assert sender == LOCAL_PARAMETERS["MailSender"]
    assert attributes["VerificationAttributes"][sender]["VerificationStatus"] == "Success"


def test_environment_has_every_variable_of_the_function(stack: LocalStack) -> None:
    variables = RESOURCES[FUNCTION_LOGICAL_ID]["Properties"]["Environment"]["Variables"]

    assert set(stack.environment) == set(variables)
    assert all(stack.environment.values())
    assert stack.environment["CASES_TABLE"] == "irc-local-cases"
    assert stack.environment["AUDIT_TABLE"] == "irc-local-audit"
    assert stack.outputs["UserPoolId"] == stack.environment["USER_POOL_ID"]


def test_unknown_parameters_and_resource_types_are_refused(
    in_process_aws: None, tmp_path: Path
) -> None:
    with pytest.raises(TemplateError, match="unknown parameters: Stag"):
        provision(parameters={"Stag": "local"})
    template = tmp_path / "template.yaml"
    template.write_text(yaml.safe_dump({"Resources": {"Queue": {"Type": "AWS::SNS::Topic"}}}))
    with pytest.raises(TemplateError, match=r"AWS::SNS::Topic is not supported"):
        provision(template)


def test_cfn_lint_reports_nothing() -> None:
    # cfn-lint requires a Type on every resource; the APIHandler fragment has none by design
    # (Chalice supplies it when merging), so lint the template without it here, and merged
    # into a Chalice-like function below.
    standalone = {**TEMPLATE, "Resources": dict(RESOURCES), "Parameters": dict(PARAMETERS)}
    del standalone["Resources"][FUNCTION_LOGICAL_ID]
    del standalone["Parameters"]["ApiReservedConcurrency"]  # only the function's fragment uses it
    # These alarms name functions that only Chalice's template holds.
    del standalone["Resources"]["RelayBehindAlarm"]
    del standalone["Resources"]["SealingFailsAlarm"]
    # It names the stage of the API that only Chalice's template holds (RestAPI.Stage).
    del standalone["Resources"]["ApiWebAclAssociation"]

    assert [str(match) for match in lint(json.dumps(standalone), regions=["us-east-1"])] == []


def test_template_merges_into_the_chalice_function() -> None:
    function_of = {
        FUNCTION_LOGICAL_ID: "app.app",
        "StaffAuthorizer": "app.staff_authorizer",
        "RunTimers": "app.run_timers",
        "SealCheckpoints": "app.seal_checkpoints",
        "RelayOutbox": "app.relay_outbox",
        "SweepOutbox": "app.sweep_outbox",
    }
    chalice_template: dict[str, Any] = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {
            logical_id: {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Runtime": "python3.11",
                    "Handler": handler,
                    "CodeUri": "./deployment.zip",
                    "Environment": {"Variables": {"STAGE": "prod"}},
                },
            }
            for logical_id, handler in function_of.items()
        },
    }
    chalice_template["Resources"]["RestAPI"] = {
        "Type": "AWS::Serverless::Api",
        "Properties": {
            "StageName": "api",
            "EndpointConfiguration": "EDGE",
            "DefinitionBody": {"swagger": "2.0", "info": {"title": "irc", "version": "1.0"}},
        },
    }
    chalice_template["Resources"]["RelayOutbox"]["Properties"]["Events"] = {
        "RelayOutboxDynamodbEventSource": {
            "Type": "DynamoDB",
            "Properties": {
                "Stream": "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/x",
                "BatchSize": 100,
                "StartingPosition": "TRIM_HORIZON",
            },
        }
    }
    merged = TemplateDeepMerger().merge(
        yaml.safe_load(DEFAULT_TEMPLATE.read_text()), chalice_template
    )

    function = merged["Resources"][FUNCTION_LOGICAL_ID]
    assert function["Type"] == "AWS::Serverless::Function"
    assert function["Properties"]["Handler"] == "app.app"
    variables = function["Properties"]["Environment"]["Variables"]
    assert variables["STAGE"] == "prod"
    assert variables["CASES_TABLE"] == {"Ref": "CasesTable"}
    # The relay reads the cases table's own stream, whatever ARN Chalice was given.
    source = merged["Resources"]["RelayOutbox"]["Properties"]["Events"]
    stream = source["RelayOutboxDynamodbEventSource"]["Properties"]["Stream"]
    assert stream == {"Fn::GetAtt": ["CasesTable", "StreamArn"]}
    assert [str(match) for match in lint(json.dumps(merged), regions=["us-east-1"])] == []


def policy_statements(path: Path) -> list[dict[str, Any]]:
    """Return the statements of an IAM policy file."""
    statements: list[dict[str, Any]] = json.loads(path.read_text())["Statement"]
    return statements


def as_list(value: str | list[str]) -> list[str]:
    """Return an IAM field that may be a string or a list as a list."""
    return [value] if isinstance(value, str) else value


def test_both_stages_have_a_policy_file() -> None:
    assert [path.name for path in POLICY_FILES] == ["policy-dev.json", "policy-prod.json"]


def test_policies_are_identical_except_for_the_stage() -> None:
    dev, prod = (path.read_text() for path in POLICY_FILES)

    assert dev.replace("irc-dev-", "irc-prod-") == prod


@pytest.mark.parametrize("path", POLICY_FILES, ids=lambda path: path.name)
def test_policy_never_lets_the_function_rewrite_the_audit_trail(path: Path) -> None:
    stage = path.stem.removeprefix("policy-")
    table = f"arn:aws:dynamodb:us-east-1:{ACCOUNT_ID}:table/irc-{stage}-audit"
    audit_statements = [
        statement
        for statement in policy_statements(path)
        if any(
            fnmatchcase(arn, pattern)
            for pattern in as_list(statement["Resource"])
            for arn in (table, f"{table}/index/by_actor")
        )
    ]

    assert audit_statements
    for statement in audit_statements:
        granted = as_list(statement["Action"])
        assert not [
            (action, pattern)
            for action in AUDIT_FORBIDDEN
            for pattern in granted
            if fnmatchcase(action, pattern)
        ]
    actions = {action for statement in audit_statements for action in as_list(statement["Action"])}
    assert actions == {"dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Query"}


@pytest.mark.parametrize("path", POLICY_FILES, ids=lambda path: path.name)
def test_policy_statements_are_named_and_scoped(path: Path) -> None:
    statements = policy_statements(path)

    assert len({statement["Sid"] for statement in statements}) == len(statements)
    for statement in statements:
        services = {action.split(":", 1)[0] for action in as_list(statement["Action"])}
        if "*" in as_list(statement["Resource"]):
            assert services <= SERVICES_WITHOUT_RESOURCE_LEVEL, statement["Sid"]
        assert not any(action.endswith(":*") for action in as_list(statement["Action"]))


def test_the_authorizer_may_only_write_logs() -> None:
    config = json.loads((PROJECT_DIR / ".chalice" / "config.json").read_text())
    for stage in ("dev", "prod"):
        function = config["stages"][stage]["lambda_functions"]["staff_authorizer"]
        policy = json.loads((PROJECT_DIR / ".chalice" / function["iam_policy_file"]).read_text())
        actions = {a for s in policy["Statement"] for a in s["Action"]}
        assert actions == {"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"}


GATEWAY_RESPONSES: dict[str, dict[str, Any]] = RESOURCES["RestAPI"]["Properties"]["DefinitionBody"][
    "x-amazon-apigateway-gateway-responses"
]
# What API Gateway puts in a template's $context.error.messageString: a quoted JSON string.
GATEWAY_MESSAGE = json.dumps("Missing Authentication Token")


def gateway_problem(kind: str) -> dict[str, Any]:
    """Return the problem details body that the gateway answers with for a response type."""
    templates = GATEWAY_RESPONSES[kind]["responseTemplates"]
    assert list(templates) == ["application/problem+json"]
    body: dict[str, Any] = json.loads(
        templates["application/problem+json"].replace(
            "$context.error.messageString", GATEWAY_MESSAGE
        )
    )
    return body


def gateway_header(kind: str, name: str) -> str | None:
    """Return a header a gateway response sets, without the quotes of a static value."""
    value = (
        GATEWAY_RESPONSES[kind].get("responseParameters", {}).get(f"gatewayresponse.header.{name}")
    )
    return value.strip("'") if isinstance(value, str) else None


@pytest.mark.parametrize("kind", sorted(GATEWAY_RESPONSES))
def test_every_gateway_response_is_an_unstored_problem(kind: str) -> None:
    body = gateway_problem(kind)

    assert body["type"].startswith("/problems/") and body["title"] and body["detail"]
    # A type without a statusCode keeps the status of the error, which its body cannot know.
    assert str(body.get("status")) == str(GATEWAY_RESPONSES[kind].get("statusCode"))
    assert gateway_header(kind, "Cache-Control") == "no-store"
    assert gateway_header(kind, "X-Content-Type-Options") == "nosniff"


@pytest.mark.parametrize(
    ("kind", "status"),
    [("DEFAULT_5XX", None), ("INTEGRATION_FAILURE", "502"), ("INTEGRATION_TIMEOUT", "504")],
)
def test_a_failure_of_the_function_says_the_outcome_is_unknown(
    kind: str, status: str | None
) -> None:
    detail = gateway_problem(kind)["detail"]

    assert GATEWAY_RESPONSES[kind].get("statusCode") == status
    assert "is not known" in detail
    assert "Retry it with the same Idempotency-Key" in detail
    assert "nothing was recorded" not in detail.lower()
    assert gateway_header(kind, "Retry-After") == "2"


def test_a_throttled_request_is_a_429_with_retry_after() -> None:
    assert GATEWAY_RESPONSES["THROTTLED"]["statusCode"] == "429"
    assert gateway_problem("THROTTLED")["status"] == 429
    assert gateway_header("THROTTLED", "Retry-After") == "2"


def test_any_other_refusal_of_the_gateway_keeps_its_status_and_says_why() -> None:
    assert "statusCode" not in GATEWAY_RESPONSES["DEFAULT_4XX"]
    assert gateway_problem("DEFAULT_4XX")["detail"] == "Missing Authentication Token"


# What an access log line may hold: the route, never the path as sent, a query or a client.
ACCESS_LOG_VARIABLES = {
    "$context.requestId",
    "$context.requestTimeEpoch",
    "$context.httpMethod",
    "$context.resourcePath",
    "$context.status",
    "$context.protocol",
    "$context.responseLength",
    "$context.responseLatency",
    "$context.integration.latency",
    "$context.error.responseType",
    "$context.wafResponseCode",
}


def test_the_access_log_names_the_route_and_never_a_query_string() -> None:
    setting = RESOURCES["RestAPI"]["Properties"]["AccessLogSetting"]
    line_format = setting["Format"]
    variables = set(re.findall(r"\$[A-Za-z][A-Za-z0-9_.]*", line_format))

    assert variables <= ACCESS_LOG_VARIABLES, variables - ACCESS_LOG_VARIABLES
    assert "$context.resourcePath" in variables
    assert not {v for v in variables if re.search(r"query|\.path$|input|params|identity", v, re.I)}
    assert json.loads(line_format)["resource"] == "$context.resourcePath"
    assert setting["DestinationArn"] == {"Fn::GetAtt": ["ApiAccessLogs", "Arn"]}
    # Execution logs with request data would write whole requests, query strings and all.
    method_settings = RESOURCES["RestAPI"]["Properties"].get("MethodSettings", [])
    assert not [s for s in method_settings if s.get("DataTraceEnabled")]


def test_the_access_log_keeps_its_lines_for_a_bounded_time(stack: LocalStack) -> None:
    [group] = boto3.client("logs").describe_log_groups(
        logGroupNamePrefix="/aws/apigateway/irc-local-access"
    )["logGroups"]

    assert group["retentionInDays"] == TEMPLATE["Parameters"]["AccessLogRetentionDays"]["Default"]
    assert stack.physical_ids["ApiAccessLogs"] == "/aws/apigateway/irc-local-access"


def test_alarms_watch_parked_effects_the_relay_and_sealing(stack: LocalStack) -> None:
    alarms = {
        a["AlarmName"]: a for a in boto3.client("cloudwatch").describe_alarms()["MetricAlarms"]
    }
    parked = alarms["irc-local-parked-effects"]
    assert (parked["Namespace"], parked["MetricName"]) == (
        "InfringementReportCenter",
        "ParkedEffects",
    )
    assert parked["Threshold"] == 0 and parked["ComparisonOperator"] == "GreaterThanThreshold"
    assert alarms["irc-local-relay-behind"]["MetricName"] == "IteratorAge"
    assert alarms["irc-local-sealing-fails"]["MetricName"] == "Errors"


def test_the_cases_table_streams_new_records_to_the_relay(stack: LocalStack) -> None:
    table = boto3.client("dynamodb").describe_table(TableName=stack.environment["CASES_TABLE"])
    assert table["Table"]["StreamSpecification"] == {
        "StreamEnabled": True,
        "StreamViewType": "NEW_IMAGE",
    }
    [outbox] = [i for i in table["Table"]["GlobalSecondaryIndexes"] if i["IndexName"] == "outbox"]
    assert [k["AttributeName"] for k in outbox["KeySchema"]] == ["outbox_pk", "outbox_sk"]


def _matches(pattern: Any, value: Any) -> bool:
    """Tell whether an event-filter pattern (exact values and prefixes, as used) matches."""
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(
            k in value and _matches(p, value[k]) for k, p in pattern.items()
        )
    return any(
        str(value).startswith(p["prefix"]) if isinstance(p, dict) else value == p for p in pattern
    )


def test_only_new_outbox_records_wake_the_relay() -> None:
    source = RESOURCES["RelayOutbox"]["Properties"]["Events"]["RelayOutboxDynamodbEventSource"]
    [only] = source["Properties"]["FilterCriteria"]["Filters"]
    pattern = json.loads(only["Pattern"])

    def record(event_name: str, sk: str) -> dict[str, Any]:
        keys = {"pk": {"S": "CASE#01J"}, "sk": {"S": sk}}
        return {"eventName": event_name, "dynamodb": {"Keys": keys}}

    assert _matches(pattern, record("INSERT", "OUTBOX#01J"))
    assert not _matches(pattern, record("MODIFY", "OUTBOX#01J"))  # a claim or a delivery
    assert not _matches(pattern, record("INSERT", "CASE"))
    assert not _matches(pattern, record("MODIFY", "CASE"))
