// Runs one execution of a state machine definition with aws-local-stepfunctions and prints the result and the
// state history as one JSON object on stdout.
//
// Usage: node run-execution.mjs REQUEST.json
//
// REQUEST.json:
//   definition          path of the ASL file (relative paths resolve against the request file's folder)
//   substitutions       {Name: value} for every ${Name} placeholder in the definition, as CDK's
//                       definitionSubstitutions would fill them; a placeholder without a value is an error
//   input               the execution input
//   endpoint            base URL of a loopback server, e.g. http://127.0.0.1:41234
//   childStateMachines  {stateMachineArn: path of its ASL file} for states:startExecution.sync:2 tasks
//   executionName       optional; a random UUID otherwise
//
// The interpreter invokes only plain Lambda ARNs in Resource and knows nothing of the optimized integrations, so
// every Task state gets a local override:
//   arn:aws:states:::lambda:invoke      POST Payload to {endpoint}/2015-03-31/functions/{FunctionName}/invocations
//                                       (the Lambda Invoke API) and shape the result as Step Functions does:
//                                       {ExecutedVersion, Payload, StatusCode}. A reply with X-Amz-Function-Error
//                                       fails the task with the payload's errorType; an HTTP error fails it with
//                                       Lambda.{X-Amzn-ErrorType}, the names Step Functions gives Lambda service errors.
//   states:startExecution.sync:2       runs the child definition in this process and returns the DescribeExecution
//                                       shape with Output as parsed JSON; a failed child fails the task with
//                                       States.TaskFailed.
//   any other resource                  POST {resource, stateName, parameters} to {endpoint}/integrations/{action},
//                                       where action is the resource after "arn:aws:states:::"; a 200 body is the
//                                       task result, any other reply {error, cause} fails the task with that error.
// Wait states and retry intervals are overridden to 0 ms so a poll loop or a retry costs no wall time; the
// intervals themselves are checked statically by the tests.
//
// Output: {status: "SUCCEEDED"|"FAILED", output?, error?, cause?, events: [...]}. Exit code 0 whenever an
// execution ran (succeeded or failed), 2 when the request itself is wrong.

import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { basename, dirname, resolve } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const START_EXECUTION_SYNC = 'arn:aws:states:::states:startExecution.sync:2';
const INTEGRATION_PREFIX = 'arn:aws:states:::';

class TaskFailure extends Error {
  constructor(errorName, cause) {
    super(cause);
    this.name = errorName;
  }
}

class RequestError extends Error {}

function loadDefinition(path, substitutions) {
  const text = readFileSync(path, 'utf8');
  const missing = new Set();
  const substituted = text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, name) => {
    if (!(name in substitutions)) {
      missing.add(name);
      return whole;
    }
    // The placeholder sits inside a JSON string; escape the value as JSON string content.
    return JSON.stringify(String(substitutions[name])).slice(1, -1);
  });
  if (missing.size > 0) {
    throw new RequestError(
      `${path}: no substitution for ${[...missing].sort().join(', ')}; add them to "substitutions" in the request`);
  }
  return JSON.parse(substituted);
}

function* allStates(states) {
  for (const [name, state] of Object.entries(states)) {
    yield [name, state];
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) yield* allStates(processor.States);
    for (const branch of state.Branches ?? []) yield* allStates(branch.States);
  }
}

async function invokeLambda(endpoint, parameters) {
  const functionName = parameters.FunctionName;
  const url = `${endpoint}/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Amz-Invocation-Type': 'RequestResponse' },
    body: JSON.stringify(parameters.Payload ?? null),
  });
  const body = await response.text();
  if (!response.ok) {
    // Service errors carry the exception name in X-Amzn-ErrorType, optionally followed by ":" and a URL.
    const type = (response.headers.get('x-amzn-errortype') ?? 'ServiceException').split(':')[0];
    throw new TaskFailure(`Lambda.${type}`, body);
  }
  if (response.headers.get('x-amz-function-error')) {
    let errorType = 'Lambda.Unknown';
    try {
      errorType = JSON.parse(body).errorType ?? errorType;
    } catch {
      // A body that is not JSON keeps the generic name, as Step Functions does.
    }
    throw new TaskFailure(errorType, body);
  }
  return {
    ExecutedVersion: response.headers.get('x-amz-executed-version') ?? '$LATEST',
    Payload: body.length === 0 ? null : JSON.parse(body),
    StatusCode: response.status,
  };
}

async function callIntegration(endpoint, resource, stateName, parameters) {
  const action = resource.slice(INTEGRATION_PREFIX.length);
  const response = await fetch(`${endpoint}/integrations/${action}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ resource, stateName, parameters }),
  });
  const body = await response.text();
  if (!response.ok) {
    const failure = JSON.parse(body);
    throw new TaskFailure(failure.error, failure.cause ?? '');
  }
  return JSON.parse(body);
}

async function startChildExecution(request, parameters, children) {
  const path = children[parameters.StateMachineArn];
  if (!path) {
    throw new TaskFailure('StepFunctions.StateMachineDoesNotExistException',
      `no child definition for ${parameters.StateMachineArn}; add it to "childStateMachines" in the request`);
  }
  const input = typeof parameters.Input === 'string' ? JSON.parse(parameters.Input) : parameters.Input;
  const child = await execute({ ...request, definition: path, input, executionName: parameters.Name });
  const described = {
    ExecutionArn: `${parameters.StateMachineArn.replace(':stateMachine:', ':execution:')}:${parameters.Name ?? 'child'}`,
    Input: input,
    StateMachineArn: parameters.StateMachineArn,
    Status: child.status,
  };
  if (child.status !== 'SUCCEEDED') {
    throw new TaskFailure('States.TaskFailed', JSON.stringify({ ...described, Error: child.error, Cause: child.cause }));
  }
  return { ...described, Output: child.output };
}

function overridesFor(definition, request, children) {
  const taskResourceLocalHandlers = {};
  const waitTimeOverrides = {};
  const retryIntervalOverrides = {};
  for (const [name, state] of allStates(definition.States)) {
    if (state.Type === 'Wait') waitTimeOverrides[name] = 0;
    if (state.Retry) retryIntervalOverrides[name] = 0;
    if (state.Type !== 'Task') continue;
    if (state.Resource === LAMBDA_INVOKE) {
      taskResourceLocalHandlers[name] = (parameters) => invokeLambda(request.endpoint, parameters);
    } else if (state.Resource === START_EXECUTION_SYNC) {
      taskResourceLocalHandlers[name] = (parameters) => startChildExecution(request, parameters, children);
    } else if (state.Resource.startsWith(INTEGRATION_PREFIX)) {
      taskResourceLocalHandlers[name] =
        (parameters) => callIntegration(request.endpoint, state.Resource, name, parameters);
    } else {
      throw new RequestError(`state ${name}: resource ${state.Resource} is not supported by the harness; ` +
        `use ${LAMBDA_INVOKE} or an arn:aws:states::: integration`);
    }
  }
  return { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides };
}

function summarise(event) {
  const summary = { type: event.type };
  if (event.state) summary.state = event.state.name;
  if (event.index !== undefined) summary.index = event.index;
  if (event.Error !== undefined) summary.error = event.Error;
  if (event.Cause !== undefined) summary.cause = String(event.Cause);
  if (event.retry) summary.attempt = event.retry.attempt;
  if (event.type === 'StateExited') summary.output = event.state.output;
  return summary;
}

async function execute(request) {
  const definition = loadDefinition(request.definition, request.substitutions ?? {});
  const machine = new StateMachine(definition, { validationOptions: { checkArn: true, checkPaths: true } });
  const input = request.input ?? {};
  const executionName = request.executionName ?? randomUUID();
  const stateMachineName = basename(request.definition).replace(/\.asl\.json$/, '');
  // The interpreter's default context object has only Execution.Input and StartTime; definitions also read
  // $$.Execution.Id, so the context is filled in as Step Functions would.
  const context = {
    Execution: {
      Id: `arn:aws:states:us-east-1:123456789012:execution:${stateMachineName}:${executionName}`,
      Name: executionName,
      Input: input,
      StartTime: new Date().toISOString(),
    },
    StateMachine: {
      Id: `arn:aws:states:us-east-1:123456789012:stateMachine:${stateMachineName}`,
      Name: stateMachineName,
    },
  };
  const execution = machine.run(input, {
    overrides: overridesFor(definition, request, request.childStateMachines ?? {}),
    context,
  });
  const events = [];
  const collecting = (async () => {
    for await (const event of execution.eventLogs) events.push(summarise(event));
  })();
  try {
    const output = await execution.result;
    await collecting;
    return { status: 'SUCCEEDED', output, events };
  } catch (failure) {
    await collecting;
    const failed = events.find((event) => event.type === 'ExecutionFailed');
    const cause = failure.cause ?? failure;
    return {
      status: 'FAILED',
      error: failed?.error ?? cause.name,
      cause: failed?.cause ?? cause.message,
      events,
    };
  }
}

async function main() {
  const requestPath = process.argv[2];
  if (!requestPath) throw new RequestError('usage: node run-execution.mjs REQUEST.json');
  const base = dirname(resolve(requestPath));
  const request = JSON.parse(readFileSync(requestPath, 'utf8'));
  request.definition = resolve(base, request.definition);
  request.childStateMachines = Object.fromEntries(
    Object.entries(request.childStateMachines ?? {}).map(([arn, path]) => [arn, resolve(base, path)]));
  const result = await execute(request);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof RequestError ? '' : `${error.stack}\n`}${error.message}\n`);
  process.exit(2);
});
