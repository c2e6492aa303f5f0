import { headerValue, parseForm } from './http-io';

describe('parseForm', () => {
  it('decodes a form', () => {
    expect(parseForm('token=lk_a%2Bb&token_type_hint=access_token&x=a+b')).toEqual(
      new Map([['token', 'lk_a+b'], ['token_type_hint', 'access_token'], ['x', 'a b']]),
    );
    expect(parseForm('')).toEqual(new Map());
    expect(parseForm('flag')).toEqual(new Map([['flag', '']]));
  });

  it('refuses a repeated parameter and broken percent-encoding', () => {
    expect(parseForm('token=a&token=b')).toBeNull();
    expect(parseForm('token=%E0%A4%A')).toBeNull();
  });
});

describe('headerValue', () => {
  it('keeps ASCII and percent-encodes the rest', () => {
    expect(headerValue('alice')).toBe('alice');
    expect(headerValue('zoë')).toBe('zo%C3%AB');
    expect(headerValue('a\r\nb')).toBe('a%0D%0Ab');
  });
});
