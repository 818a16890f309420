import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequestHandler } from 'local-aws-sqs';
import type { LocalLog } from '../log.ts';

/**
 * The SQS-compatible server (npm `local-aws-sqs`, JSON and Query protocols) in this process, on an
 * ephemeral loopback port. It keeps queues and messages in memory only: see `sqs-snapshot.ts` for what
 * the local cloud does with queued messages across a restart on a data dir.
 */
export interface SqsServer {
  readonly endpoint: string;
  readonly port: number;
  readonly accountId: string;
  stop(): Promise<void>;
}

export interface SqsServerOptions {
  readonly region: string;
  readonly accountId: string;
  readonly log: LocalLog;
}

export async function startSqsServer(options: SqsServerOptions): Promise<SqsServer> {
  const host = '127.0.0.1';
  const { service, requestHandler } = createRequestHandler({
    port: 0,
    hostname: host,
    region: options.region,
    accountId: options.accountId,
    // Local runs re-create queues freely; AWS's 60-second wait after a delete would only slow tests.
    emulateQueueCreationLifecycle: false,
  });
  const server: Server = createServer((request, response) => {
    requestHandler(request, response).catch((error: unknown) => {
      options.log('error', 'SQS server request failed', { detail: String(error) });
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  // Queue URLs are built from these: they must name the port actually bound.
  service.PORT = port;
  service.HOSTNAME = host;
  const endpoint = `http://${host}:${port}`;
  options.log('info', 'SQS server ready', { endpoint });
  return {
    endpoint,
    port,
    accountId: options.accountId,
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Long polls still open would keep close() waiting: end them (pollers are stopped before this).
      server.closeAllConnections();
      await closed;
      service.resetAll();
      options.log('info', 'SQS server stopped', { endpoint });
    },
  };
}
