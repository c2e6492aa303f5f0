import { loginPage } from './login-page';

describe(loginPage.name, () => {
  it('posts the form to the interaction and lists the demo users with their groups', () => {
    const html = loginPage({ uid: 'abc', clientId: 'latchkey-cli', users: [{ userName: 'alice', groups: ['jira-users'] }, { userName: 'carol', groups: [] }] });
    expect(html).toContain('<form id="login" method="post" action="/interaction/abc/login">');
    expect(html).toContain('name="username" value="alice"');
    expect(html).toContain('jira-users');
    expect(html).toContain('no groups');
  });

  it('escapes whatever it echoes', () => {
    const html = loginPage({ uid: 'x', clientId: '<script>', users: [{ userName: 'a', groups: [] }], loginHint: '"><b>', error: '<i>' });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('"><b>');
    expect(html).toContain('&lt;i&gt;');
  });
});
