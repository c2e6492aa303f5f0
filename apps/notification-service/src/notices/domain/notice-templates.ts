import { Notice, NoticeToken } from './notice';

/** An e-mail as it is sent: a subject, a plain-text part and an HTML part. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Strip line breaks and control characters from values that end up in a header (the subject). */
const oneLine = (s: string) => s.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 120);

const tokenLabel = (t: NoticeToken) => `"${t.name}" (${t.hint})`;
const who = (n: Notice) => (n.by ? (n.by.userId === 'system' ? 'Latchkey itself' : n.by.userId) : 'someone');
const date = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC') : 'never');

const CAUSES: Record<string, string> = {
  admin: 'an administrator revoked it',
  bulk: "an administrator revoked it in a bulk revocation",
  leaked: 'it was reported as leaked (found in public) and revoked at once',
  'owner-deactivated': 'your account was deactivated in the directory',
  rfc7009: 'a client revoked it through the OAuth revocation endpoint',
  'reuse-detected': 'a rotated-away secret of it was presented after its grace period',
};

interface Body {
  subject: string;
  /** paragraphs */
  lines: string[];
}

function body(n: Notice): Body {
  const t = n.token;
  switch (n.kind) {
    case 'expiry-reminder':
      return {
        subject: `Your Latchkey token ${t ? tokenLabel(t) : ''} expires in ${n.daysLeft} day${n.daysLeft === 1 ? '' : 's'}`,
        lines: [
          `Your personal access token ${t ? tokenLabel(t) : ''} expires on ${date(t?.expiresAt ?? null)}.`,
          'Scripts and apps using it will stop working then. Create a new token (or rotate this one) and update them before that date.',
        ],
      };
    case 'expired':
      return {
        subject: `Your Latchkey token ${t ? tokenLabel(t) : ''} has expired`,
        lines: [`Your personal access token ${t ? tokenLabel(t) : ''} expired on ${date(t?.expiresAt ?? null)} and no longer works.`, 'Create a new token if you still need one.'],
      };
    case 'revoked':
      return {
        subject: `Your Latchkey token ${t ? tokenLabel(t) : ''} was revoked by ${who(n)}`,
        lines: [
          `Your personal access token ${t ? tokenLabel(t) : ''} was revoked by ${who(n)} on ${date(n.occurredAt)}.`,
          `Why: ${CAUSES[n.cause ?? ''] ?? 'see the reason below'}.`,
          `Reason given: ${n.reason ?? '(none)'}.`,
          'It no longer works. If you still need access, create a new token.',
        ],
      };
    case 'reuse-detected':
      return {
        subject: `Security alert: an old secret of your Latchkey token ${t ? tokenLabel(t) : ''} was used`,
        lines: [
          `The secret your token ${t ? tokenLabel(t) : ''} had before its last rotation was presented after its grace period, on ${date(n.occurredAt)}.`,
          'Someone may hold a copy of it, so Latchkey revoked the token at once.',
          `Reason recorded: ${n.reason ?? '(none)'}.`,
          'Find where the old secret is still configured, create a new token, and tell your security team if you do not recognise the use.',
        ],
      };
    case 'created-on-behalf':
      return {
        subject: `${who(n)} created the Latchkey token ${t ? tokenLabel(t) : ''} for you`,
        lines: [
          `${who(n)} created the personal access token ${t ? tokenLabel(t) : ''} on your behalf on ${date(n.occurredAt)}.`,
          `It expires on ${date(t?.expiresAt ?? null)}. You can see and revoke it among your tokens.`,
          'If you did not expect this, revoke it and tell your administrators.',
        ],
      };
    case 'admin-digest': {
      const d = n.digest;
      if (!d) return { subject: 'Latchkey daily digest', lines: [] };
      const lines = [
        `Tokens expiring within ${d.expiringSoon.withinDays} days: ${d.expiringSoon.count}.`,
        ...d.expiringSoon.sample.map((s) => `  - ${tokenLabel(s)} of ${s.ownerId}, expires ${date(s.expiresAt)}`),
        `Tokens never used, older than ${d.neverUsed.olderThanDays} days: ${d.neverUsed.count}.`,
        ...d.neverUsed.sample.map((s) => `  - ${tokenLabel(s)} of ${s.ownerId}, created ${date(s.createdAt)}`),
        `Denied requests in the last 24 hours: ${d.denials.last24h} (daily average of the week before: ${d.denials.dailyAverage})${d.denials.spike ? ' - a spike' : ''}.`,
        ...Object.entries(d.denials.byCode).map(([code, count]) => `  - ${code}: ${count}`),
      ];
      return { subject: `Latchkey daily digest for ${d.day}${d.denials.spike ? ': denials spike' : ''}`, lines };
    }
  }
}

/** The e-mail for a notice (pure): names the token by its name and hint, never by its secret. */
export function renderEmail(n: Notice): RenderedEmail {
  const b = body(n);
  const footer = 'You get this because of your Latchkey notification settings; some notices are required by your administrators.';
  const text = [...b.lines, '', '--', footer].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    ...b.lines.map((l) => (l.startsWith('  - ') ? `<li>${escapeHtml(l.slice(4))}</li>` : `<p>${escapeHtml(l)}</p>`)),
    `<hr><p style="color:#6b778c;font-size:12px">${escapeHtml(footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: oneLine(b.subject), text, html };
}

/** One line for chat tools (Slack, Teams): the subject. */
export function summaryLine(n: Notice): string {
  return renderEmail(n).subject;
}
