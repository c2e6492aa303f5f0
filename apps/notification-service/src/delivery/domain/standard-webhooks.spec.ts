import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signatureHeaders } from './standard-webhooks';

describe(signatureHeaders.name, () => {
  it('signs so that the Standard Webhooks reference library verifies it', () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ type: 'token.revoked', data: { token: { name: 'ci' } } });
    const headers = signatureHeaders(secret, 'msg_0190a0e4', new Date(), body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('fails verification for another secret or a changed body', () => {
    const secret = newWebhookSecret();
    const headers = signatureHeaders(secret, 'msg_1', new Date(), '{"a":1}');
    expect(() => new Webhook(newWebhookSecret()).verify('{"a":1}', headers)).toThrow();
    expect(() => new Webhook(secret).verify('{"a":2}', headers)).toThrow();
  });

  it('matches the specification\'s published example', () => {
    // from the Standard Webhooks specification's example signature
    const headers = signatureHeaders('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', new Date(1614265330 * 1000), '{"test": 2432232314}');
    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });
});
