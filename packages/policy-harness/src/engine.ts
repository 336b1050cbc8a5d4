import * as grpc from '@grpc/grpc-js';
import * as enginerpc from '@pulumi/pulumi/proto/engine_grpc_pb.js';
import * as engineproto from '@pulumi/pulumi/proto/engine_pb.js';
import * as emptyproto from 'google-protobuf/google/protobuf/empty_pb.js';
import type { LogEntry } from './types.js';

const SEVERITY: Record<number, LogEntry['severity']> = {
  [engineproto.LogSeverity.DEBUG]: 'debug',
  [engineproto.LogSeverity.INFO]: 'info',
  [engineproto.LogSeverity.WARNING]: 'warning',
  [engineproto.LogSeverity.ERROR]: 'error',
};

/** The in-process stand-in for the Pulumi engine's `Engine` gRPC service. */
export interface FakeEngine {
  address: string;
  close(): Promise<void>;
}

/**
 * Starts a tiny `pulumirpc.Engine` server on 127.0.0.1: `Log` hands each entry to `onLog`, the root
 * resource calls keep one URN, and the rest answer as a modern engine would.
 */
export async function startEngine(rootUrn: string, onLog: (entry: LogEntry) => void): Promise<FakeEngine> {
  let root = rootUrn;
  const server = new grpc.Server();
  const impl: enginerpc.IEngineServer = {
    log(call, callback) {
      const r = call.request;
      const entry: LogEntry = {
        source: 'engine',
        severity: SEVERITY[r.getSeverity()] ?? 'info',
        message: r.getMessage(),
      };
      if (r.getUrn()) entry.urn = r.getUrn();
      onLog(entry);
      callback(null, new emptyproto.Empty());
    },
    getRootResource(_call, callback) {
      callback(null, new engineproto.GetRootResourceResponse().setUrn(root));
    },
    setRootResource(call, callback) {
      root = call.request.getUrn();
      callback(null, new engineproto.SetRootResourceResponse());
    },
    startDebugging(_call, callback) {
      callback(null, new emptyproto.Empty());
    },
    requirePulumiVersion(_call, callback) {
      callback(null, new engineproto.RequirePulumiVersionResponse());
    },
  };
  server.addService(enginerpc.EngineService, impl);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    );
  });
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        // Do not wait on a client that keeps its channel open.
        setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 200).unref();
      }),
  };
}
