import type { DevUser } from '../users/dev-users';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** The sign-in page: a user name + password form and a one-click picker of the demo users (password = user name). */
export function loginPage(input: { uid: string; clientId: string; users: DevUser[]; loginHint?: string; error?: string }): string {
  const action = `/interaction/${encodeURIComponent(input.uid)}/login`;
  const picker = input.users
    .map((u) => {
      const name = escapeHtml(u.userName);
      const groups = u.groups.length ? escapeHtml(u.groups.join(', ')) : 'no groups';
      return `<li><form method="post" action="${action}"><input type="hidden" name="username" value="${name}"><input type="hidden" name="password" value="${name}"><button type="submit">${name}</button> <small>${groups}</small></form></li>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Latchkey dev IdP: sign in</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto}label{display:block;margin:.5rem 0}li{margin:.3rem 0}.error{color:#b00}</style></head>
<body>
<h1>Sign in</h1>
<p>to <strong>${escapeHtml(input.clientId)}</strong> through the Latchkey development identity provider (not for production).</p>
${input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>` : ''}
<form id="login" method="post" action="${action}">
  <label>User name <input name="username" autocomplete="username" autofocus value="${escapeHtml(input.loginHint ?? '')}"></label>
  <label>Password <input name="password" type="password" autocomplete="current-password"></label>
  <button type="submit">Sign in</button>
</form>
<h2>Demo users</h2>
<p>The password of each is its user name.</p>
<ul>
${picker}
</ul>
</body></html>`;
}
