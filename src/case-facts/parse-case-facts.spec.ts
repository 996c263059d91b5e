import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { FIXTURES, fixture } from '../../test/support/fixtures';
import { parseCaseFacts } from './parse-case-facts';

function failures(input: unknown): { field?: string; message: string }[] {
  try {
    parseCaseFacts(input);
  } catch (e) {
    if (e instanceof AppError && e.code === ErrorCode.ValidationFailed) return e.details;
    throw e;
  }
  throw new Error('expected a validation error');
}

describe(parseCaseFacts.name, () => {
  it.each(FIXTURES)('accepts the %s fixture', (name) => {
    const facts = parseCaseFacts(fixture(name));
    expect(facts.petitioner.name.full.length).toBeGreaterThan(0);
  });

  it('names every failing field, with its full path', () => {
    const input = fixture('typical');
    const p = input.petitioner as Record<string, unknown>;
    p.dateOfBirth = '2023-02-30';
    (input.incidents as Record<string, unknown>[])[1].narrative = '';
    delete (input.court as Record<string, unknown>).county;
    const fields = failures(input).map((d) => d.field);
    expect(fields).toEqual(
      expect.arrayContaining(['petitioner.dateOfBirth', 'incidents.1.narrative', 'court.county']),
    );
  });

  it('refuses an unknown property and names it', () => {
    const input = fixture('minimal');
    (input.respondent as Record<string, unknown>).shoeSize = 11;
    expect(failures(input)).toContainEqual(
      expect.objectContaining({
        field: 'respondent.shoeSize',
        message: 'respondent.shoeSize is not a known field',
      }),
    );
  });

  it('asks for a date of birth or an age when neither is given', () => {
    const input = fixture('minimal');
    delete (input.petitioner as Record<string, unknown>).age;
    expect(failures(input)).toEqual([
      expect.objectContaining({
        field: 'petitioner.dateOfBirth',
        message: 'give dateOfBirth or age',
      }),
    ]);
  });

  it('refuses an incident with both a date and a date range', () => {
    const input = fixture('minimal');
    const incident = (input.incidents as Record<string, unknown>[])[0];
    incident.dateRange = { from: '2026-01-01', to: '2026-01-31' };
    expect(failures(input).map((d) => d.field)).toEqual(['incidents.0.date']);
  });

  it('refuses a future incident date and a child born before the parent', () => {
    const input = fixture('typical');
    (input.incidents as Record<string, unknown>[])[0].date = '2999-01-01';
    (input.protectedPersons as Record<string, unknown>[])[0].dateOfBirth = '1980-01-01';
    expect(
      failures(input)
        .map((d) => d.field)
        .sort(),
    ).toEqual(['incidents.0.date', 'protectedPersons']);
  });

  it('refuses prototype keys before building anything', () => {
    const input = JSON.parse('{"petitioner": {"__proto__": {"isAdmin": true}}}') as unknown;
    expect(failures(input)).toEqual([expect.objectContaining({ field: 'petitioner.__proto__' })]);
  });

  it('keeps a ZIP code with a leading zero as written', () => {
    const facts = parseCaseFacts(fixture('typical'));
    expect(facts.petitioner.mailingAddress.postalCode).toBe('02108');
  });
});
