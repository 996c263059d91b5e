import { checkPassword } from './password-policy';

const rules = (password: string, context = {}) =>
  checkPassword(password, context).map((d) => d.rule);

describe('password policy', () => {
  it.each([
    'correct horse battery staple',
    'Tide-lantern-Orchard-47',
    'my cat eats tangerines at noon',
    '8402957163xq',
    'Ünïcödé pässphrase wïth ümlauts',
  ])('accepts %j', (password) => {
    expect(
      checkPassword(password, { organisationName: 'Bay Legal Aid', email: 'rosa@bla.example' }),
    ).toEqual([]);
  });

  it('welcomes a long passphrase, up to 1024 characters', () => {
    const passphrase = 'seven quiet otters ferry lanterns across the harbour at dusk '.repeat(16);
    expect(passphrase.length).toBeGreaterThan(900);
    expect(checkPassword(passphrase.slice(0, 1024))).toEqual([]);
  });

  it('counts characters, not UTF-16 units: eleven emoji are too short, twelve are enough', () => {
    const emoji = ['🦊', '🌵', '🚲', '🎻', '🍋', '🧭', '🪁', '🐢', '🌋', '🧩', '🛶', '🪴'];
    expect(emoji.slice(0, 11).join('').length).toBe(22);
    expect(rules(emoji.slice(0, 11).join(''))).toEqual(['tooShort']);
    expect(rules(emoji.join(''))).toEqual([]);
  });

  it('refuses fewer than 12 characters', () => {
    expect(rules('Xk7#qp2!Lm9')).toEqual(['tooShort']);
  });

  it('refuses more than 1024 characters', () => {
    expect(rules('ab3$'.repeat(256) + 'z')).toEqual(['tooLong']);
  });

  it.each(['aaaaaaaaaaaaaaaa', 'abababababab', '1212 1212 1212', 'xyz!xyz!xyz!xyz!'])(
    'refuses the repetition %j',
    (password) => {
      expect(rules(password)).toContain('repetitive');
    },
  );

  it.each([
    '123456789012',
    '0987654321098',
    'abcdefghijklm',
    'qwertyuiopasdf',
    'QWERTYUIOP[]',
    '1qaz2wsx3edc',
  ])('refuses the sequence %j', (password) => {
    expect(rules(password)).toContain('sequence');
  });

  it.each([
    'password1234',
    'Passw0rd2026!',
    'P@ssw0rd P@ssw0rd',
    'passwordpassword',
    'Welcome2026!!',
    'letmein letmein',
    'l3tm31n!l3tm31n!',
    'adminpassword1',
    'ILoveYou123456',
    'changeme1234',
    'Trustno1Trustno1',
    'attorney2026!',
  ])('refuses the common password %j', (password) => {
    expect(rules(password)).toContain('common');
  });

  it("refuses a password containing the organisation's name, however it is spaced or cased", () => {
    expect(rules('BayLegalAid#2026', { organisationName: 'Bay Legal Aid' })).toEqual([
      'containsOrganisation',
    ]);
  });

  it("refuses a password containing the email's local part", () => {
    expect(rules('rosa.delgado-1987', { email: 'Rosa.Delgado@bla.example' })).toEqual([
      'containsEmail',
    ]);
  });

  it('names the field and says why, without echoing the password', () => {
    const password = 'Passw0rd2026!';
    const [detail] = checkPassword(password);
    expect(detail).toEqual({
      field: 'password',
      rule: 'common',
      message: expect.stringMatching(/common/),
    });
    expect(JSON.stringify(checkPassword(password))).not.toContain(password);
  });
});
