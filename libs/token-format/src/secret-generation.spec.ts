import { secretGenerationAccepted } from './secret-generation';

describe('secretGenerationAccepted', () => {
  const now = new Date('2030-01-01T12:00:00Z');
  const rotated = { secretGeneration: 3, previousSecretValidUntil: '2030-01-01T12:05:00Z' };

  it('accepts the current secret, with or without a grace period', () => {
    expect(secretGenerationAccepted(rotated, 3, now)).toBe(true);
    expect(secretGenerationAccepted({ secretGeneration: 1, previousSecretValidUntil: null }, 1, now)).toBe(true);
  });

  it('accepts the previous secret only while its grace lasts', () => {
    expect(secretGenerationAccepted(rotated, 2, now)).toBe(true);
    expect(secretGenerationAccepted(rotated, 2, new Date('2030-01-01T12:05:00Z'))).toBe(false);
    expect(secretGenerationAccepted({ secretGeneration: 3, previousSecretValidUntil: null }, 2, now)).toBe(false);
  });

  it('never accepts older or future generations', () => {
    expect(secretGenerationAccepted(rotated, 1, now)).toBe(false);
    expect(secretGenerationAccepted(rotated, 4, now)).toBe(false);
  });
});
