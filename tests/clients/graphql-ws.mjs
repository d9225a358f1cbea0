// The reference graphql-ws client (graphql-transport-ws) against a running Storygraph: a query and a
// job's live progress over one socket, and a bad credential refused at connection_init.
// Usage: node graphql-ws.mjs <http url> <session token> <project id>
// Checks as it goes (exit 1 on the first failure); prints what it saw as JSON on the last line.
import assert from 'node:assert/strict';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, projectId] = process.argv.slice(2);
const wsUrl = url.replace(/^http/, 'ws');

async function post(query, variables) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

function connect(authorization) {
  return createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: authorization },
    retryAttempts: 0,
    lazy: true,
  });
}

const seen = {};
const client = connect(`Bearer ${token}`);

// A query over the socket.
const me = await new Promise((resolve, reject) => {
  let result;
  client.subscribe({ query: '{ me { id } project: node(id: "' + projectId + '") { id __typename } }' }, {
    next: (value) => (result = value),
    error: reject,
    complete: () => resolve(result),
  });
});
seen.query = me.data;
assert.equal(me.data.project.__typename, 'Project');

// A job's progress, live, from the start to its end.
const job = (await post('mutation ($p: ID!) { createJob(input: { projectId: $p, kind: "render.ws" }) { id } }', { p: projectId })).createJob;
const events = [];
let started;
const begun = new Promise((resolve) => (started = resolve));
const finished = new Promise((resolve, reject) => {
  client.subscribe(
    { query: 'subscription ($id: ID!) { jobProgress(jobId: $id) { seq status progress } }', variables: { id: job.id } },
    { next: ({ data, errors }) => { if (errors) reject(new Error(JSON.stringify(errors))); events.push(data.jobProgress); started(); }, error: reject, complete: resolve },
  );
});
await begun;
await post('mutation { claimJob(kinds: ["render.ws"]) { id } }');
await post('mutation ($id: ID!) { reportJobProgress(id: $id, progress: 50) { id } }', { id: job.id });
await post('mutation ($id: ID!) { completeJob(id: $id) { id } }', { id: job.id });
await Promise.race([finished, new Promise((_, reject) => setTimeout(() => reject(new Error(`no completion: ${JSON.stringify(events)}`)), 10000))]);
seen.events = events;
assert.deepEqual(events.map((e) => e.status), ['QUEUED', 'RUNNING', 'RUNNING', 'SUCCEEDED']);
assert.deepEqual(events.map((e) => e.seq), [1, 2, 3, 4]);
await client.dispose();

// A bad credential: the server refuses connection_init (close 4403).
const refused = connect('Bearer not-a-token');
seen.refused = await new Promise((resolve) => {
  refused.on('closed', (event) => resolve({ code: event.code, reason: event.reason }));
  refused.subscribe({ query: '{ me { id } }' }, { next: () => {}, error: () => {}, complete: () => {} });
});
assert.equal(seen.refused.code, 4403);
await refused.dispose();

console.log(JSON.stringify(seen));
