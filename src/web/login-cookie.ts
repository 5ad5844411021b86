// The login cookie: set when a card's link is opened, read on every request. Pure.
import type { Logins, Principal } from './logins.js';
import { principalOf } from './logins.js';

export const LOGIN_COOKIE = 'swarmlab_login';

/** The Set-Cookie value: HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure under TLS. */
export function loginCookie(secret: string, tls: boolean): string {
  return `${LOGIN_COOKIE}=${secret}; Path=/; HttpOnly; SameSite=Strict${tls ? '; Secure' : ''}`;
}

/** The login a request carries in its Cookie header, if any. */
export function cookieSecret(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === LOGIN_COOKIE) return value.join('=');
  }
  return undefined;
}

export function principalOfCookie(logins: Logins | undefined, header: string | undefined): Principal | undefined {
  const secret = cookieSecret(header);
  return logins && secret ? principalOf(logins, secret) : undefined;
}
