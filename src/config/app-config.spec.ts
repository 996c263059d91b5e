import { loadConfig } from './app-config';

describe('loadConfig', () => {
  it('reads switches as true/false/1/0 and refuses anything else by name', () => {
    expect(loadConfig({ COOKIE_SECURE: 'false' }).COOKIE_SECURE).toBe(false);
    expect(loadConfig({ COOKIE_SECURE: '1' }).COOKIE_SECURE).toBe(true);
    expect(loadConfig({}).COOKIE_SECURE).toBe(false);
    expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY/);
  });

  it('refuses a quick-exit address that is not a web address', () => {
    expect(() => loadConfig({ QUICK_EXIT_URL: 'javascript:alert(1)' })).toThrow(/QUICK_EXIT_URL/);
    expect(loadConfig({ QUICK_EXIT_URL: 'https://example.org/' }).QUICK_EXIT_URL).toBe(
      'https://example.org/',
    );
  });

  it('reads numbers and refuses them out of range by name', () => {
    expect(loadConfig({ INTERVIEW_IDLE_MINUTES: '5' }).INTERVIEW_IDLE_MINUTES).toBe(5);
    expect(() => loadConfig({ INTERVIEW_DRAFT_DAYS: '0' })).toThrow(/INTERVIEW_DRAFT_DAYS/);
  });
});
