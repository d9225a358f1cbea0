// The GraphQL-over-HTTP spec's own audit suite (graphql-http's serverAudits) against a server.
// Usage: node audit.mjs <url>. Prints one line per audit and a JSON summary as the last line;
// exits 1 when any audit is not "ok".
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
const results = [];
for (const audit of serverAudits({ url, fetchFn: fetch })) {
  const result = await audit.fn();
  results.push(result);
  const reason = result.status === 'ok' ? '' : ` — ${result.reason}`;
  console.log(`${result.status.padEnd(6)} ${result.id} ${result.name}${reason}`);
  if (result.status !== 'ok' && result.response) {
    console.log(`       ${result.response.status} ${await result.response.text().catch(() => '')}`.slice(0, 400));
  }
}
const count = (status) => results.filter((r) => r.status === status).length;
const summary = { total: results.length, ok: count('ok'), notice: count('notice'), warn: count('warn'), error: count('error') };
console.log(JSON.stringify(summary));
process.exit(summary.ok === summary.total ? 0 : 1);
