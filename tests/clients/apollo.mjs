// Apollo Client (the SPA frontends' client) against a running Storygraph, as a browser app uses it:
// a normalised cache, automatic persisted queries sent by GET, a subscription over HTTP
// (multipart). Usage: node apollo.mjs <http url> <session token> <project id>
// Checks as it goes (exit 1 on the first failure); prints what it saw as JSON on the last line.
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { ApolloClient, HttpLink, InMemoryCache, gql, from } from '@apollo/client/core/index.js';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries/index.js';

const [url, token, projectId] = process.argv.slice(2);
const sent = []; // every HTTP request the client made: method, and whether it carried the document

async function recordingFetch(input, init = {}) {
  const target = new URL(typeof input === 'string' ? input : input.url);
  const method = init.method || 'GET';
  const body = method === 'POST' ? JSON.parse(init.body) : Object.fromEntries(target.searchParams);
  sent.push({ method, operation: body.operationName, withDocument: Boolean(body.query), hashed: Boolean(body.extensions) });
  return fetch(input, init);
}

const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const http = new HttpLink({ uri: url, fetch: recordingFetch, headers: { authorization: `Bearer ${token}` } });
const client = new ApolloClient({
  link: from([createPersistedQueryLink({ sha256, useGETForHashedQueries: true }), http]),
  cache: new InMemoryCache({
    possibleTypes: {
      Node: ['User', 'ApiKey', 'Project', 'Storyboard', 'Scene', 'SceneTask', 'Job', 'Asset',
        'Character', 'Keyframe', 'StoryboardRevision', 'Webhook', 'WebhookDelivery'],
    },
  }),
});

const PROJECT = gql`query Project($id: ID!) { project(id: $id) { id title status } }`;
const NODE = gql`query Node($id: ID!) { node(id: $id) { id ... on Project { title } } }`;
const RENAME = gql`
  mutation Rename($id: ID!, $title: String!) { updateProject(id: $id, input: { title: $title }) { id title } }
`;
const CREATE_JOB = gql`
  mutation CreateJob($projectId: ID!) { createJob(input: { projectId: $projectId, kind: "render.apollo" }) { id seq status } }
`;
const CLAIM = gql`mutation Claim { claimJob(kinds: ["render.apollo"]) { id attempts status } }`;
const REPORT = gql`
  mutation Report($id: ID!, $progress: Int!) { reportJobProgress(id: $id, progress: $progress, stage: "render") { id progress seq } }
`;
const COMPLETE = gql`mutation Complete($id: ID!) { completeJob(id: $id, result: { frames: 24 }) { id status seq } }`;
const JOB_PROGRESS = gql`
  subscription JobProgress($jobId: ID!, $afterSeq: Int) { jobProgress(jobId: $jobId, afterSeq: $afterSeq) { jobId seq status progress } }
`;

const seen = {};

// 1. A query, cached by id; a mutation's result updates it in the cache (no refetch).
const watched = [];
const watch = client.watchQuery({ query: PROJECT, variables: { id: projectId } }).subscribe({
  next: ({ data }) => data && watched.push(data.project.title),
});
const first = await client.query({ query: PROJECT, variables: { id: projectId } });
seen.before = first.data.project.title;
const requestsBeforeMutation = sent.length;
await client.mutate({ mutation: RENAME, variables: { id: projectId, title: 'Renamed by Apollo' } });
const cached = client.readQuery({ query: PROJECT, variables: { id: projectId } });
seen.afterMutation = cached.project.title;
assert.equal(seen.afterMutation, 'Renamed by Apollo');
await new Promise((resolve) => setTimeout(resolve, 50));
seen.watched = watched;
assert.equal(watched.at(-1), 'Renamed by Apollo');
const afterMutation = sent.slice(requestsBeforeMutation).map((r) => r.operation);
assert.deepEqual([...new Set(afterMutation)], ['Rename'], 'the mutation only: no refetch of the query');
watch.unsubscribe();
assert.deepEqual(client.cache.extract()[`Project:${projectId}`].title, 'Renamed by Apollo');

// 2. node(id) lands on the same normalised object.
const node = await client.query({ query: NODE, variables: { id: projectId }, fetchPolicy: 'network-only' });
seen.node = node.data.node;
assert.equal(node.data.node.__typename, 'Project');
assert.equal(node.data.node.title, 'Renamed by Apollo');

// 3. Persisted queries: the hash alone by GET once the server has the document.
sent.length = 0;
await client.query({ query: PROJECT, variables: { id: projectId }, fetchPolicy: 'network-only' });
seen.persisted = [...sent];
assert.deepEqual(sent, [{ method: 'GET', operation: 'Project', withDocument: false, hashed: true }]);

// 4. A subscription over HTTP (multipart) delivers a job's events, through to its end.
const job = (await client.mutate({ mutation: CREATE_JOB, variables: { projectId } })).data.createJob;
const events = [];
const finished = new Promise((resolve, reject) => {
  client.subscribe({ query: JOB_PROGRESS, variables: { jobId: job.id, afterSeq: 0 } }).subscribe({
    next: ({ data, errors }) => (errors ? reject(new Error(JSON.stringify(errors))) : events.push(data.jobProgress)),
    error: reject,
    complete: resolve,
  });
});
// The stream has begun once the stored event (seq 1, QUEUED) arrived.
for (let i = 0; i < 100 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
assert.equal(events.length, 1, 'the stored event first');
const claimed = (await client.mutate({ mutation: CLAIM })).data.claimJob;
assert.equal(claimed.id, job.id);
await client.mutate({ mutation: REPORT, variables: { id: job.id, progress: 40 } });
await client.mutate({ mutation: REPORT, variables: { id: job.id, progress: 80 } });
await client.mutate({ mutation: COMPLETE, variables: { id: job.id } });
await Promise.race([finished, new Promise((_, reject) => setTimeout(() => reject(new Error(`stream did not complete: ${JSON.stringify(events)}`)), 10000))]);
seen.events = events.map(({ seq, status, progress }) => ({ seq, status, progress }));
seen.jobId = job.id;
assert.deepEqual(events.map((e) => e.seq), [1, 2, 3, 4, 5]);
assert.equal(events.at(-1).status, 'SUCCEEDED');

console.log(JSON.stringify(seen));
client.stop();
