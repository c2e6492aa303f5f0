import { Notice } from './notice';
import { renderEmail } from './notice-templates';
import { webhookPayload } from '../../delivery/domain/webhook-payload';

const revoked: Notice = {
  key: 'revoked:e1',
  kind: 'revoked',
  userId: 'alice',
  token: { id: 't1', name: '<script>ci</script>', hint: 'lk_...abcd', expiresAt: null },
  occurredAt: '2026-01-01T10:00:00.000Z',
  sourceEventId: 'e1',
  by: { userId: 'admin', via: 'oidc' },
  reason: 'left the team',
  cause: 'bulk',
};

describe(renderEmail.name, () => {
  it('names the token by name and hint, who did it and why, in text and escaped HTML', () => {
    const mail = renderEmail(revoked);
    expect(mail.subject).toBe('Your Latchkey token "<script>ci</script>" (lk_...abcd) was revoked by admin');
    expect(mail.text).toContain('bulk revocation');
    expect(mail.text).toContain('left the team');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.html).not.toContain('<script>');
  });

  it('keeps line breaks out of the subject', () => {
    expect(renderEmail({ ...revoked, token: { ...revoked.token!, name: 'a\r\nBcc: x@y' } }).subject).not.toMatch(/[\r\n]/);
  });

  it('renders every kind', () => {
    for (const kind of ['expiry-reminder', 'expired', 'reuse-detected', 'created-on-behalf'] as const) {
      expect(renderEmail({ ...revoked, kind, daysLeft: 7 }).subject).toContain('lk_...abcd');
    }
  });
});

describe(webhookPayload.name, () => {
  it('has the Standard Webhooks shape, or what Slack and Teams incoming webhooks accept', () => {
    expect(webhookPayload(revoked, 'standard')).toMatchObject({ type: 'token.revoked', timestamp: revoked.occurredAt, data: { token: { hint: 'lk_...abcd' }, cause: 'bulk' } });
    expect(webhookPayload(revoked, 'slack')).toMatchObject({ text: expect.stringContaining('revoked by admin') });
    expect(webhookPayload(revoked, 'teams')).toMatchObject({ '@type': 'MessageCard', summary: expect.stringContaining('revoked') });
  });
});
