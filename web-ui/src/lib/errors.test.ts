// gRPC status names shown in error states.
import { Code } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { grpcCodeName } from './errors';

describe('grpcCodeName', () => {
  it('writes status codes as gRPC names', () => {
    expect(grpcCodeName(Code.InvalidArgument)).toBe('INVALID_ARGUMENT');
    expect(grpcCodeName(Code.ResourceExhausted)).toBe('RESOURCE_EXHAUSTED');
    expect(grpcCodeName(Code.NotFound)).toBe('NOT_FOUND');
    expect(grpcCodeName(99 as Code)).toBe('UNKNOWN');
  });
});
