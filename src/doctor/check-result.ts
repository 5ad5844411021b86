// What one doctor check says: pass, warn or fail, and what to do about a warn or fail.

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  check: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}
