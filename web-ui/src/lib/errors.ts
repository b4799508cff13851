// Names of gRPC status codes as the server documents them (INVALID_ARGUMENT rather than Connect's InvalidArgument).
import { Code } from '@connectrpc/connect';

/** The gRPC name of a status code: Code.InvalidArgument -> "INVALID_ARGUMENT". */
export function grpcCodeName(code: Code): string {
  const name = Code[code];
  return name ? name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase() : 'UNKNOWN';
}
