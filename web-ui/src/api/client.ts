// Connect-ES clients of the telemetry.v1 services over gRPC-Web, on the origin that served the page.
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcWebTransport } from '@connectrpc/connect-web';
import { LogsService } from '../gen/telemetry/v1/logs_pb';
import { MetricsService } from '../gen/telemetry/v1/metrics_pb';
import { ResourcesService } from '../gen/telemetry/v1/resources_pb';
import { TracesService } from '../gen/telemetry/v1/traces_pb';
import { grpcCodeName } from '../lib/errors';

const transport = createGrpcWebTransport({ baseUrl: window.location.origin, useBinaryFormat: true });

export const metricsClient = createClient(MetricsService, transport);
export const tracesClient = createClient(TracesService, transport);
export const logsClient = createClient(LogsService, transport);
export const resourcesClient = createClient(ResourcesService, transport);

/** What to show for a failed call: the gRPC status name and the server's own message. */
export function errorMessage(e: unknown): string {
  if (e instanceof ConnectError) {
    return `${grpcCodeName(e.code)}: ${e.rawMessage}`;
  }
  return e instanceof Error ? e.message : String(e);
}

/** True when the error only reports that the caller gave up (a newer request replaced this one). */
export function isAbort(e: unknown): boolean {
  return (e instanceof ConnectError && e.code === Code.Canceled) || (e instanceof DOMException && e.name === 'AbortError');
}
