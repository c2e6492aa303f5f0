import { RevocationAck } from '@latchkey/contracts';

/** Waits until every live validation replica has applied some token events, or a bound passes. */
export interface RevocationAcknowledgements {
  waitFor(eventIds: string[], boundMs: number): Promise<RevocationAck>;
}
export const REVOCATION_ACKNOWLEDGEMENTS = Symbol('REVOCATION_ACKNOWLEDGEMENTS');
