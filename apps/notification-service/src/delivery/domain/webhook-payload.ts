import { Notice } from '../../notices/domain/notice';
import { summaryLine } from '../../notices/domain/notice-templates';

export const WebhookFormats = ['standard', 'slack', 'teams'] as const;
export type WebhookFormat = (typeof WebhookFormats)[number];

/** Event type names of the standard payload (`type`), namespaced as the Standard Webhooks spec recommends. */
const TYPE_BY_KIND: Record<Notice['kind'], string> = {
  'expiry-reminder': 'token.expiring',
  expired: 'token.expired',
  revoked: 'token.revoked',
  'reuse-detected': 'token.reuse_detected',
  'created-on-behalf': 'token.created_on_behalf',
  'admin-digest': 'admin.digest',
};

/**
 * The JSON body sent to a webhook endpoint (pure). `standard`: `{type, timestamp, data}` with the notice's
 * facts (token name and hint, never a secret). `slack`: what a Slack incoming webhook accepts (`text` + blocks).
 * `teams`: an Office 365 connector MessageCard, what a Teams incoming webhook accepts.
 */
export function webhookPayload(n: Notice, format: WebhookFormat): Record<string, unknown> {
  const line = summaryLine(n);
  if (format === 'slack') {
    return { text: line, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: line + (n.reason ? `\n_${n.reason}_` : '') } }] };
  }
  if (format === 'teams') {
    return {
      '@type': 'MessageCard',
      '@context': 'https://schema.org/extensions',
      summary: line,
      themeColor: n.kind === 'reuse-detected' || n.kind === 'revoked' ? 'DE350B' : '0052CC',
      title: line,
      text: n.reason ?? '',
    };
  }
  return {
    type: TYPE_BY_KIND[n.kind],
    timestamp: n.occurredAt,
    data: {
      notice: n.kind,
      userId: n.userId,
      ...(n.token ? { token: n.token } : {}),
      ...(n.by ? { by: n.by } : {}),
      ...(n.reason !== undefined ? { reason: n.reason } : {}),
      ...(n.cause !== undefined ? { cause: n.cause } : {}),
      ...(n.daysLeft !== undefined ? { daysLeft: n.daysLeft } : {}),
      ...(n.digest ? { digest: n.digest } : {}),
      summary: line,
    },
  };
}
