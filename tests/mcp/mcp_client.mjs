// Reference MCP client for the `vcf-agent mcp` integration test: the official TypeScript SDK
// spawns the server over stdio, initializes, pings, lists the tools and makes the requested
// tool calls, then prints one JSON summary on stdout.
//
//   node mcp_client.mjs --bin VCF_AGENT --db STORE \
//       --call '{"name": "store_overview", "arguments": {}}' [--call ...] [--data-dir DIR]
//   node mcp_client.mjs --url http://HOST:PORT/mcp --token TOKEN --call ...
//       (the Streamable HTTP transport of `vcf-agent serve`, with a bearer token)
//
// Exit status: 0 when the whole exchange worked at the protocol level (a tool result with
// isError true still counts as working: that is the tool's answer); 1 on a protocol failure
// (the handshake, a JSON-RPC error, a malformed result, a timeout, the server dying); 2 on bad
// usage of this script. The summary is printed in every case but bad usage.
import { isDeepStrictEqual, parseArgs } from 'node:util';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

function usage(message) {
  process.stderr.write(`mcp_client: ${message}\n`);
  process.stderr.write(
    'usage: node mcp_client.mjs --bin VCF_AGENT --db STORE --call JSON [--call JSON ...] [--data-dir DIR] [--timeout-ms N]\n');
  process.exit(2);
}

let options;
try {
  ({ values: options } = parseArgs({
    options: {
      bin: { type: 'string' },
      db: { type: 'string' },
      'data-dir': { type: 'string' },
      call: { type: 'string', multiple: true, default: [] },
      'timeout-ms': { type: 'string', default: '120000' },
      url: { type: 'string' },
      token: { type: 'string' },
    },
  }));
} catch (e) {
  usage(e.message);
}
if (!options.url && !options.bin) usage('--bin (or --url) is required');
if (!options.url && !options.db) usage('--db (or --url) is required');
let calls;
try {
  calls = options.call.map((text) => {
    const call = JSON.parse(text);
    if (typeof call?.name !== 'string') throw new Error(`a call needs a "name": ${text}`);
    return { name: call.name, arguments: call.arguments ?? {} };
  });
} catch (e) {
  usage(`--call: ${e.message}`);
}
const timeout = Number(options['timeout-ms']);

// Records the protocol version the client settled on (the SDK hands it to the transport).
class RecordingTransport extends StdioClientTransport {
  setProtocolVersion(version) {
    this.negotiatedVersion = version;
  }
}

class RecordingHttpTransport extends StreamableHTTPClientTransport {
  setProtocolVersion(version) {
    super.setProtocolVersion(version);
    this.negotiatedVersion = version;
  }
}

const args = ['mcp', '--db', options.db ?? ''];
if (options['data-dir']) args.push('--data-dir', options['data-dir']);
const transport = options.url
  ? new RecordingHttpTransport(new URL(options.url), {
      requestInit: { headers: { Authorization: `Bearer ${options.token ?? ''}` } },
    })
  : new RecordingTransport({
      command: options.bin,
      args,
      env: { ...process.env },
      stderr: 'pipe',
    });
let serverStderr = '';
transport.stderr?.on('data', (chunk) => {
  serverStderr += chunk.toString();
});

const summary = {
  ok: false,
  protocolVersion: null,
  serverInfo: null,
  capabilities: null,
  instructions: null,
  tools: [],
  calls: [],
  serverExit: null,
  serverStderr: '',
  error: null,
};

const client = new Client({ name: 'vcf-agent-test-client', version: '0.0.0' });
let serverExited = null;
try {
  await client.connect(transport, { timeout });
  // Private to the transport, but the only way to see how the server ended.
  const child = transport._process;
  if (child) {
    serverExited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null)
        resolve({ code: child.exitCode, signal: child.signalCode });
      else child.once('exit', (code, signal) => resolve({ code, signal }));
    });
  }
  summary.protocolVersion = transport.negotiatedVersion ?? null;
  summary.sessionId = transport.sessionId ?? null;
  summary.serverInfo = client.getServerVersion() ?? null;
  summary.capabilities = client.getServerCapabilities() ?? null;
  summary.instructions = client.getInstructions() ?? null;

  const pong = await client.ping({ timeout });
  if (pong === undefined || pong === null || typeof pong !== 'object')
    throw new Error(`ping answered ${JSON.stringify(pong)}`);

  const listed = await client.listTools(undefined, { timeout });
  summary.tools = listed.tools.map((t) => t.name);
  for (const tool of listed.tools) {
    if (typeof tool.description !== 'string' || tool.description.length === 0)
      throw new Error(`tool ${tool.name} has no description`);
  }

  for (const call of calls) {
    const result = await client.callTool(call, undefined, { timeout });
    if (!Array.isArray(result.content) || result.content.length === 0)
      throw new Error(`${call.name}: a result without content`);
    const text = result.content[0].type === 'text' ? result.content[0].text : null;
    let textMatchesStructured = null;
    if (result.structuredContent !== undefined && text !== null) {
      try {
        textMatchesStructured = isDeepStrictEqual(JSON.parse(text), result.structuredContent);
      } catch {
        textMatchesStructured = false;
      }
    }
    summary.calls.push({
      name: call.name,
      isError: result.isError === true,
      structuredContent: result.structuredContent ?? null,
      text,
      textMatchesStructured,
    });
  }
  summary.ok = true;
} catch (e) {
  summary.error = `${e?.name ?? 'Error'}: ${e?.message ?? e}`;
}

try {
  await client.close();  // ends the server's stdin: it must answer what is in flight and exit
} catch (e) {
  summary.ok = false;
  summary.error ??= `close: ${e?.message ?? e}`;
}
if (serverExited) summary.serverExit = await serverExited;
summary.serverStderr = serverStderr.slice(-4000);
process.stdout.write(`${JSON.stringify(summary)}\n`);
process.exitCode = summary.ok ? 0 : 1;
