/** An append's expected version was stale: someone else appended to the stream first. Reload and decide again. */
export class StreamVersionConflictError extends Error {
  readonly code = 'STREAM_VERSION_CONFLICT' as const;

  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    /** the stream's version when the conflict was seen, where known */
    readonly actualVersion?: number,
  ) {
    super(
      `stream ${streamId}: expected version ${expectedVersion}` +
        (actualVersion === undefined ? ', but another append got there first' : `, but it is at ${actualVersion}`),
    );
    this.name = 'StreamVersionConflictError';
  }
}
