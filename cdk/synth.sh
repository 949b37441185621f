#!/usr/bin/env sh
# Synthesizes the stack into cdk/cdk.out with the pinned aws-cdk command line. It needs no network and no AWS
# account: without credentials in the environment the template is environment-agnostic. Extra arguments go to
# `cdk synth` (for example -c vectorIndex=domain).
#
# Needs the handlers jar (mvn -B -ntp -pl functions/handlers -am install -DskipTests) and `npm ci` in cdk/, which
# `mvn verify` runs.
set -eu
cd "$(dirname "$0")"

if [ ! -x node_modules/.bin/cdk ]; then
  npm ci --no-fund --no-audit
fi

# jsii prints an end-of-life banner on Node 20 without the first. The second turns off the CLI's telemetry, and the
# third keeps the SDK from asking the EC2 instance metadata service for credentials.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
export CDK_DISABLE_CLI_TELEMETRY=true
export AWS_EC2_METADATA_DISABLED=true

exec node_modules/.bin/cdk synth --no-notices --no-version-reporting --quiet --output cdk.out "$@"
