import { FailureThrottle } from '../common/failure-throttle';

/** Wrong resume codes, counted per client and per code. */
export class ResumeThrottle extends FailureThrottle {
  codeKey(normalizedCode: string): string {
    return this.keyOf('code', normalizedCode);
  }
}
