"""The session's in-process AWS is put back as provisioned before each test: what one test
wrote, created, disabled or deleted is not there for the next."""

from __future__ import annotations

import boto3
import pytest

from tests.conftest import PNG, sign_in
from tests.warm_aws import WarmAws
from tools.provision import GENEROUS_LIMITS, LOCAL_PARAMETERS, LocalStack

PARAMETERS = {**LOCAL_PARAMETERS, **GENEROUS_LIMITS}


def test_what_a_test_changed_is_gone_for_the_next(aws: LocalStack, warm_aws: WarmAws) -> None:
    env = aws.environment
    pool_id = env["USER_POOL_ID"]
    dynamodb, s3, sqs = boto3.client("dynamodb"), boto3.client("s3"), boto3.client("sqs")
    cognito, ses = boto3.client("cognito-idp"), boto3.client("ses")
    dynamodb.put_item(TableName=env["CASES_TABLE"], Item={"pk": {"S": "X"}, "sk": {"S": "Y"}})
    s3.put_object(Bucket=env["UPLOADS_BUCKET"], Key="staging/x", Body=PNG)
    sqs.send_message(
        QueueUrl=env["ENFORCEMENT_QUEUE_URL"],
        MessageBody="{}",
        MessageGroupId="g",
        MessageDeduplicationId="d",
    )
    token = sign_in(aws, "reviewer")
    cognito.admin_create_user(UserPoolId=pool_id, Username="intruder", MessageAction="SUPPRESS")
    cognito.admin_disable_user(UserPoolId=pool_id, Username="demo-reviewer")
    cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="other-app")
    ses.delete_identity(Identity=env["MAIL_SENDER"])

    again = warm_aws.stack(PARAMETERS)

    assert again is aws  # put back, not provisioned anew
    assert dynamodb.scan(TableName=env["CASES_TABLE"])["Count"] == 0
    assert "Contents" not in s3.list_objects_v2(Bucket=env["UPLOADS_BUCKET"])
    queue = sqs.get_queue_attributes(
        QueueUrl=env["ENFORCEMENT_QUEUE_URL"], AttributeNames=["ApproximateNumberOfMessages"]
    )
    assert queue["Attributes"]["ApproximateNumberOfMessages"] == "0"
    users = {u["Username"]: u for u in cognito.list_users(UserPoolId=pool_id)["Users"]}
    assert "intruder" not in users and users["demo-reviewer"]["Enabled"]
    clients = cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)
    assert "other-app" not in {c["ClientName"] for c in clients["UserPoolClients"]}
    with pytest.raises(cognito.exceptions.NotAuthorizedException):
        cognito.get_user(AccessToken=token)  # a token of an earlier test signs nobody in
    assert env["MAIL_SENDER"] in ses.list_identities()["Identities"]


def test_a_stack_a_test_took_apart_is_provisioned_again(aws: LocalStack, warm_aws: WarmAws) -> None:
    boto3.client("sqs").delete_queue(QueueUrl=aws.environment["ENFORCEMENT_QUEUE_URL"])

    again = warm_aws.stack(PARAMETERS)

    assert again is not aws
    url = again.environment["ENFORCEMENT_QUEUE_URL"]
    assert boto3.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
