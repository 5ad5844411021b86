import { allowed, type Route, routeOf, sameOrigin } from '../../src/web/routes.js';

const s01 = { role: 'student', id: 's01' } as const;
const instructor = { role: 'instructor' } as const;

describe('the class server routes', () => {
  it('reads what a request is for', () => {
    expect(routeOf('GET', '/login?key=abc')).toEqual({ kind: 'login' });
    expect(routeOf('GET', '/')).toEqual({ kind: 'home' });
    expect(routeOf('GET', '/s/s01/')).toEqual({ kind: 'student-page', student: 's01' });
    expect(routeOf('GET', '/s/s01/?watch')).toEqual({ kind: 'student-page', student: 's01' });
    expect(routeOf('POST', '/s/s02/api/check')).toEqual({ kind: 'student-api', student: 's02', api: 'check' });
    expect(routeOf('GET', '/s/s02/port/80/a/b?x=1')).toEqual({ kind: 'port', student: 's02', port: 80, rest: '/a/b?x=1' });
    expect(routeOf('GET', '/s/s02/port/9000')).toEqual({ kind: 'port', student: 's02', port: 9000, rest: '/' });
    expect(routeOf('GET', '/s/s01/term?node=manager', true)).toEqual({ kind: 'terminal', student: 's01' });
    expect(routeOf('GET', '/s/s01/watch/t-1', true)).toEqual({ kind: 'watch', student: 's01', terminal: 't-1' });
    expect(routeOf('GET', '/assets/student.js')).toEqual({ kind: 'asset', name: 'student.js' });
  });

  it('knows nothing else', () => {
    for (const [method, url] of [
      ['GET', '/assets/../class-logins.json'],
      ['GET', '/assets/other.js'],
      ['GET', '/s/s1/'],
      ['GET', '/s/s01/api/check'],
      ['POST', '/s/s01/api/lab'],
      ['DELETE', '/'],
      ['GET', '/s/s01/term'],
    ] as const) {
      expect([method, url, routeOf(method, url)]).toEqual([method, url, undefined]);
    }
    expect(routeOf('POST', '/s/s01/term?node=manager', true)).toBeUndefined();
  });

  it("gives a student their own lab and nothing else's", () => {
    const mine: Route[] = [
      { kind: 'student-page', student: 's01' },
      { kind: 'student-api', student: 's01', api: 'check' },
      { kind: 'terminal', student: 's01' },
      { kind: 'port', student: 's01', port: 80, rest: '/' },
      { kind: 'home' },
      { kind: 'asset', name: 'student.js' },
    ];
    for (const route of mine) expect([route, allowed(route, s01)]).toEqual([route, true]);
    const theirs: Route[] = [
      { kind: 'student-page', student: 's02' },
      { kind: 'student-api', student: 's02', api: 'lab' },
      { kind: 'terminal', student: 's02' },
      { kind: 'port', student: 's02', port: 80, rest: '/' },
      { kind: 'events' },
      { kind: 'watch', student: 's01', terminal: 'x' },
    ];
    for (const route of theirs) expect([route, allowed(route, s01)]).toEqual([route, false]);
  });

  it('lets the instructor see every student, watch but not type, and refuses everything without a login', () => {
    expect(allowed({ kind: 'watch', student: 's02', terminal: 'x' }, instructor)).toBe(true);
    expect(allowed({ kind: 'terminal', student: 's02' }, instructor)).toBe(false);
    expect(allowed({ kind: 'student-api', student: 's02', api: 'lab' }, instructor)).toBe(true);
    expect(allowed({ kind: 'student-api', student: 's02', api: 'start' }, instructor)).toBe(false);
    expect(allowed({ kind: 'events' }, instructor)).toBe(true);
    expect(allowed({ kind: 'home' }, undefined)).toBe(false);
    expect(allowed({ kind: 'asset', name: 'student.js' }, undefined)).toBe(false);
    expect(allowed({ kind: 'login' }, undefined)).toBe(true);
  });

  it('takes an Origin only when it is the server itself', () => {
    expect(sameOrigin('http://10.0.0.5:8091', '10.0.0.5:8091', false)).toBe(true);
    expect(sameOrigin('https://10.0.0.5:8091', '10.0.0.5:8091', false)).toBe(false);
    expect(sameOrigin('http://evil.example', '10.0.0.5:8091', false)).toBe(false);
    expect(sameOrigin(undefined, '10.0.0.5:8091', false)).toBe(false);
    expect(sameOrigin('null', '10.0.0.5:8091', false)).toBe(false);
  });
});
